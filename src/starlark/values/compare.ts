/** Equality and ordering (spec "Comparisons"). */
import { fail } from './errors.ts';
import { cmpFloat, cmpIntFloat } from './float.ts';
import { keyOf } from './hashing.ts';
import { isHost, typeName } from './kinds.ts';
import type { Thread } from './thread.ts';
import { Bytes, Dict, Float, List, Range, StarSet, Tuple, type Value } from './value.ts';

/** Nesting depth at which comparison gives up (guards against cyclic structures). */
const MAX_DEPTH = 1000;

/** Charges the thread (if given) for comparing containers of about this size. */
function charge(thread: Thread | undefined, x: Value): void {
  if (thread !== undefined && (x instanceof List || x instanceof Tuple)) thread.step(x.elems.length >> 4);
  else if (thread !== undefined && (x instanceof Dict || x instanceof StarSet)) thread.step(x.size >> 4);
}

/** x == y. Pass the thread so that comparing big containers is charged as steps. */
export function equals(x: Value, y: Value, thread?: Thread): boolean {
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
    if (x === y) return true;
    // Distinct primitives are unequal, except an int and an equal float.
    if (y instanceof Float && (typeof x === 'number' || typeof x === 'bigint')) return cmpIntFloat(x, y.value) === 0;
    if (x instanceof Float && (typeof y === 'number' || typeof y === 'bigint')) return cmpIntFloat(y, x.value) === 0;
    return false;
  }
  charge(thread, x);
  return equalObjects(x, y, 0);
}

/**
 * Structural equality. Identical containers are still compared element by
 * element (as starlark-go does), so a cyclic list fails with "maximum recursion".
 */
function equalObjects(x: Value & object, y: Value & object, depth: number): boolean {
  if (depth > MAX_DEPTH) fail('comparison exceeded maximum recursion depth');
  if (x instanceof Float) return y instanceof Float && cmpFloat(x.value, y.value) === 0;
  if (x instanceof List) return y instanceof List && equalSeq(x.elems, y.elems, depth);
  if (x instanceof Tuple) return y instanceof Tuple && equalSeq(x.elems, y.elems, depth);
  if (x instanceof Dict) {
    if (!(y instanceof Dict) || x.size !== y.size) return false;
    for (const [k, v] of x.entries()) {
      const o = y.get(k);
      if (o === undefined || !equalDeep(v, o, depth)) return false;
    }
    return true;
  }
  if (x instanceof StarSet) {
    if (!(y instanceof StarSet) || x.size !== y.size) return false;
    for (const k of x.keys()) if (!y.has(k)) return false;
    return true;
  }
  if (x instanceof Bytes) return y instanceof Bytes && equalBytes(x.data, y.data);
  if (x instanceof Range) {
    if (!(y instanceof Range) || x.len !== y.len) return false;
    return x.len === 0 || (x.start === y.start && (x.len === 1 || x.step === y.step));
  }
  if (isHost(x) && x.equals !== undefined) return x.equals(y);
  return x === y;
}

function equalDeep(x: Value, y: Value, depth: number): boolean {
  if (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null) return equalObjects(x, y, depth + 1);
  return equals(x, y);
}

function equalSeq(a: Value[], b: Value[], depth: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equalDeep(a[i]!, b[i]!, depth)) return false;
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A comparison operator. */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * Three-way ordering of x and y for `op` (used in the error message:
 * "int < NoneType not implemented"). Same-type values only, except int/float.
 */
export function order(x: Value, y: Value, op: CompareOp = '<', depth = 0): number {
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  const tx = typeof x, ty = typeof y;
  if ((tx === 'number' || tx === 'bigint') && (ty === 'number' || ty === 'bigint')) {
    return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
  }
  if (x instanceof Float) {
    if (y instanceof Float) return cmpFloat(x.value, y.value);
    if (ty === 'number' || ty === 'bigint') return -cmpIntFloat(y as number, x.value);
  } else if (y instanceof Float && (tx === 'number' || tx === 'bigint')) {
    return cmpIntFloat(x as number, y.value);
  }
  if (tx === 'boolean' && ty === 'boolean') return Number(x) - Number(y);
  if (depth > MAX_DEPTH) fail('comparison exceeded maximum recursion depth');
  if (x instanceof List && y instanceof List) return orderSeq(x.elems, y.elems, op, depth);
  if (x instanceof Tuple && y instanceof Tuple) return orderSeq(x.elems, y.elems, op, depth);
  if (x instanceof Bytes && y instanceof Bytes) return orderBytes(x.data, y.data);
  if (isHost(x) && isHost(y) && x.hostType === y.hostType && x.compare !== undefined) return x.compare(y);
  return fail(`${typeName(x)} ${op} ${typeName(y)} not implemented`);
}

/** order() of two tuples' or lists' elements (sorted() compares tuple keys with it directly). */
export function orderSeq(a: Value[], b: Value[], op: CompareOp = '<', depth = 0): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!, y = b[i]!;
    // Ints and strings (most tuple keys) are ordered directly, without equals() then order().
    // (Identical containers still go through equals(): a cyclic one must fail as in starlark-go.)
    const tx = typeof x;
    if (tx === typeof y && (tx === 'number' || tx === 'string')) {
      if (x !== y) return x! < y! ? -1 : 1;
      continue;
    }
    if (!equals(x, y)) return order(x, y, op, depth + 1);
  }
  return a.length - b.length;
}

function orderBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Evaluates `x op y` for the six comparison operators (the thread, if given, is charged for big operands). */
export function compare(op: CompareOp, x: Value, y: Value, thread?: Thread): boolean {
  if (typeof x === 'number' && typeof y === 'number') {
    switch (op) {
      case '==': return x === y;
      case '!=': return x !== y;
      case '<': return x < y;
      case '<=': return x <= y;
      case '>': return x > y;
      case '>=': return x >= y;
    }
  }
  if (op === '==') return equals(x, y, thread);
  if (op === '!=') return !equals(x, y, thread);
  if (x instanceof Float && (y instanceof Float || typeof y === 'number')) return ordered(op, cmpFloat(x.value, fv(y)));
  if (y instanceof Float && typeof x === 'number') return ordered(op, cmpFloat(x, y.value));
  charge(thread, x);
  if (x instanceof StarSet && y instanceof StarSet) return compareSets(op, x, y);
  return ordered(op, order(x, y, op));
}

/** The value of float or safe int v (a safe int is an exact float). */
function fv(v: Value): number {
  return typeof v === 'number' ? v : (v as Float).value;
}

/** Whether a three-way comparison result c satisfies the ordering operator op. */
function ordered(op: CompareOp, c: number): boolean {
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    default: return c >= 0;
  }
}

/** Sets are partially ordered by inclusion: <= subset, < proper subset, >= and > likewise. */
function compareSets(op: CompareOp, x: StarSet, y: StarSet): boolean {
  const [small, big] = op === '<' || op === '<=' ? [x, y] : [y, x];
  for (const k of small.keys()) if (!big.has(k)) return false;
  return op.length === 2 || small.size < big.size;
}

/** `needle in container` for dicts and sets; an unhashable needle is simply absent. */
export function hashedHas(container: Dict | StarSet, needle: Value): boolean {
  let k: unknown;
  try {
    k = keyOf(needle);
  } catch {
    return false;
  }
  return container.has(k);
}
