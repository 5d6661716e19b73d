/**
 * What generated code may call: the runtime's operations plus a few helpers
 * for the cold paths (errors with positions, unpacking, *args, load). The
 * generated factory receives exactly this object and binds each member to
 * a local of the same name; it sees nothing else of the host.
 */
import { nearest } from "../spell.ts";
import { Cell } from "./cell.ts";
import { StarFunction, type FuncCode } from "./function.ts";
import * as rt from "./rt.ts";
import type { Frame, Kwargs, Thread, Value } from "./rt.ts";

const { Dict, Float, List, StarlarkError, Tuple, typeName } = rt;

/** Fails at line:col of the current frame. */
function failAt(fr: Frame, line: number, col: number, msg: string): never {
  fr.line = line;
  fr.col = col;
  throw new StarlarkError(msg);
}

/** The n elements of an iterable being unpacked, or a "too many/few values" error. */
function unpack(th: Thread, fr: Frame, v: Value, n: number, line: number, col: number): Value[] {
  let elems: Value[] | null;
  if (v instanceof Tuple) elems = v.elems;
  else if (v instanceof List) elems = v.elems.slice(); // the stores may mutate the list
  else elems = rt.iterableElems(th, v);
  if (elems === null) return failAt(fr, line, col, `got ${typeName(v)} in sequence assignment`);
  if (elems.length > n) failAt(fr, line, col, `too many values to unpack (got ${elems.length}, want ${n})`);
  if (elems.length < n) failAt(fr, line, col, `too few values to unpack (got ${elems.length}, want ${n})`);
  return elems;
}

/** One entry of a dict literal: keys must be distinct ("duplicate key"), reported at the key. */
function dictEntry(th: Thread, fr: Frame, d: rt.Dict, k: Value, v: Value, line: number, col: number): void {
  fr.line = line;
  fr.col = col;
  const size = d.size;
  rt.dictSet(th, d, k, v);
  if (d.size === size) failAt(fr, line, col, `duplicate key: ${rt.repr(k)}`);
}

/** `f(*x)`: appends x's elements to the positional arguments. */
function starArgs(th: Thread, fr: Frame, args: Value[], x: Value, line: number, col: number): void {
  const elems = rt.iterableElems(th, x);
  if (elems === null) failAt(fr, line, col, `argument after * must be iterable, not ${typeName(x)}`);
  for (const el of elems) args.push(el);
}

/** `f(**x)`: appends x's items to the keyword arguments. */
function starStarArgs(fr: Frame, kw: Kwargs, x: Value, line: number, col: number): void {
  if (!(x instanceof Dict)) failAt(fr, line, col, `argument after ** must be a mapping, not ${typeName(x)}`);
  for (const [k, v] of rt.dictEntries(x)) {
    if (typeof k !== "string") failAt(fr, line, col, `keywords must be strings, not ${typeName(k)}`);
    kw.push([k, v]);
  }
}

/** Any call the call site did not bind itself. Compiled functions charge their own step. */
function callAny(th: Thread, f: Value, args: Value[], kw: Kwargs | null): Value {
  return f instanceof StarFunction ? f.call(th, args, kw) : rt.call(th, f, args, kw);
}

function recursion(fn: StarFunction): never {
  throw new StarlarkError(`function ${fn.name} called recursively`);
}

function makeFunction(code: FuncCode, defaults: Array<Value | undefined>, free: Cell[]): StarFunction {
  return new StarFunction(code, defaults, free);
}

/** A load statement's compile-time facts. */
export interface LoadSpec {
  readonly module: string;
  readonly line: number;
  readonly col: number;
  /** Exported names with their positions (for "not found" errors). */
  readonly names: ReadonlyArray<{ readonly name: string; readonly line: number; readonly col: number }>;
}

/** `load("module", ...)`: asks the thread's load hook; returns the values in `spec.names` order. */
function load(th: Thread, fr: Frame, spec: LoadSpec): Value[] {
  const { module, line, col } = spec;
  fr.line = line;
  fr.col = col;
  if (th.load === null) throw new StarlarkError("load not implemented by this application");
  let members: Record<string, Value>;
  const depth = th.frames.length;
  try {
    members = th.load(th, module);
  } catch (e) {
    th.frames.length = depth; // drop the failed module's frames: this error replaces its own
    const msg = e instanceof StarlarkError ? e.msg : e instanceof Error ? e.message : String(e);
    return failAt(fr, line, col, `cannot load ${module}: ${msg}`);
  }
  return spec.names.map(({ name, line: l, col: c }) => {
    const v = Object.hasOwn(members, name) ? members[name] : undefined;
    if (v !== undefined) return v;
    const hint = nearest(name, Object.keys(members).sort());
    return failAt(fr, l, c, `load: name ${name} not found in module ${module}${hint === null ? "" : ` (did you mean ${hint}?)`}`);
  });
}

/** Members handed to the generated factory; their keys are the only host names generated code uses. */
export const RUNTIME = {
  add: rt.add, sub: rt.sub, mul: rt.mul, div: rt.div, floorDiv: rt.floorDiv, mod: rt.mod,
  bitAnd: rt.bitAnd, bitOr: rt.bitOr, bitXor: rt.bitXor, shl: rt.shl, shr: rt.shr,
  intAdd: rt.ints.add, intSub: rt.ints.sub, intMul: rt.ints.mul, intFloorDiv: rt.ints.floorDiv, intMod: rt.ints.mod,
  intAnd: rt.ints.and, intOr: rt.ints.or, intXor: rt.ints.xor, intShl: rt.ints.shl, intShr: rt.ints.shr,
  contains: rt.contains, dictSet: rt.dictSet, dictOfStrings: rt.dictOfStrings, unary: rt.unary, compare: rt.compare, equals: rt.equals, truth: rt.truth,
  augmented: rt.augmented, iterate: rt.iterate, iterableElems: rt.iterableElems, itemColumns: rt.itemColumns, getIndex: rt.getIndex, setIndex: rt.setIndex,
  slice: rt.slice, getAttr: rt.getAttr, setField: rt.setField,
  List, Tuple, Dict, Float, Range: rt.Range, Cell, StarFunction,
  failAt, unpack, dictEntry, starArgs, starStarArgs, callAny, recursion, makeFunction, load,
  floor: Math.floor,
} as const;

export type RuntimeName = keyof typeof RUNTIME;
