/** Type-constructor builtins: bool, int, float, str, bytes, list, tuple, dict, set, range, chr, ord. */
import { tableSet } from '../values/collections.ts';
import { fail } from '../values/errors.ts';
import { parseFloat } from '../values/float.ts';
import * as I from '../values/int.ts';
import { iterableElems, toArray } from '../values/iter.ts';
import { truth, typeName } from '../values/kinds.ts';
import { quote, str } from '../values/repr.ts';
import { codePointString } from '../values/utf8.ts';
import type { Thread } from '../values/thread.ts';
import { Bytes, Dict, Float, List, Range, StarSet, Tuple, type Kwargs, type Value } from '../values/value.ts';
import { asInt, params, positional } from './args.ts';
import { dictUpdate } from './dict-methods.ts';

const INT = params('int', 'x', 'base?');

export function int_(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  const [x, b] = INT.unpack(args, kwargs);
  if (typeof x === 'string') {
    const base = b === undefined ? 10 : asInt('int', 'base', b);
    if (base !== 0 && (base < 2 || base > 36)) fail('int: base must be an integer >= 2 && <= 36');
    const v = I.parseInt(x, base);
    return v !== null ? v : fail(`int: invalid literal with base ${base}: ${x}`);
  }
  if (b !== undefined) fail("int: can't convert non-string with explicit base");
  if (typeof x === 'number' || typeof x === 'bigint') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (x instanceof Float) return I.fromFloat(x.value);
  return fail(`int: got ${typeName(x!)}, want int, float, bool or string`);
}

export function float(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('float', args, kwargs, 0, 1);
  const x = args[0];
  if (x === undefined) return new Float(0);
  if (x instanceof Float) return x;
  if (typeof x === 'number' || typeof x === 'bigint') return new Float(I.toFloat(x));
  if (typeof x === 'boolean') return new Float(x ? 1 : 0);
  if (typeof x === 'string') return new Float(parseFloat(x));
  return fail(`float: got ${typeName(x)}, want number or string`);
}

export function bool(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('bool', args, kwargs, 0, 1);
  return args.length === 0 ? false : truth(args[0]!);
}

export function str_(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('str', args, kwargs, 1, 1);
  const x = args[0]!;
  return typeof x === 'number' ? String(x) : str(x, thread);
}

export function bytes(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('bytes', args, kwargs, 1, 1);
  const x = args[0]!;
  if (x instanceof Bytes) return x;
  if (typeof x === 'string') return new Bytes(new TextEncoder().encode(x));
  const elems = iterableElems(thread, x);
  if (elems === null) fail(`bytes: got ${typeName(x)}, want string, bytes, or iterable of ints`);
  const out = new Uint8Array(elems.length);
  elems.forEach((e, i) => {
    if (typeof e !== 'number') fail(`bytes: at index ${i}, got ${typeName(e)}, want int`);
    if (e < 0 || e > 255) fail(`bytes: at index ${i}, ${e} out of range (want value in unsigned 8-bit range)`);
    out[i] = e;
  });
  return new Bytes(out);
}

export function list(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('list', args, kwargs, 0, 1);
  return new List(args.length === 0 ? [] : toArray(thread, args[0]!, 'list').slice());
}

export function tuple(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('tuple', args, kwargs, 0, 1);
  if (args.length === 0) return new Tuple([]);
  const x = args[0]!;
  return x instanceof Tuple ? x : new Tuple(toArray(thread, x, 'tuple').slice());
}

export function dict(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  if (args.length > 1) fail(`dict: got ${args.length} arguments, want at most 1`);
  if (kwargs !== null && kwargs.length > 1) {
    const seen = new Set<string>();
    for (const [k] of kwargs) {
      if (seen.has(k)) fail(`dict: duplicate keyword arg: ${quote(k)}`);
      seen.add(k);
    }
  }
  const d = new Dict();
  const src = args[0];
  if (src instanceof Dict && kwargs === null) {
    // dict(d): a copy of the table as it is (keys already distinct and canonical), charged as an update.
    thread.step(src.size);
    if (src.size > thread.limits.maxDictSize) thread.checkDict(src.size);
    d.copyFrom(src);
    return d;
  }
  dictUpdate(thread, d, 'dict', args, kwargs);
  return d;
}

export function set(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('set', args, kwargs, 0, 1);
  const s = new StarSet();
  if (args.length > 0) for (const e of toArray(thread, args[0]!, 'set')) tableSet(thread, s, e, null);
  return s;
}

/** A range() bound: an int in the safe-integer range this implementation supports. */
function rangeInt(v: Value, param: string): number {
  if (typeof v === 'bigint') fail(`range: ${v} out of range (want value in signed 53-bit range)`);
  return asInt('range', param, v);
}

export function range(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('range', args, kwargs, 1, 3);
  // As starlark-go, a single argument is unpacked as `start` (so errors name it), then used as the stop.
  const first = rangeInt(args[0]!, 'start');
  const start = args.length === 1 ? 0 : first;
  const stop = args.length === 1 ? first : rangeInt(args[1]!, 'stop');
  const step = args.length === 3 ? rangeInt(args[2]!, 'step') : 1;
  if (step === 0) fail('range: step argument must not be zero');
  // Keep every element and the length exact doubles (safe integers).
  if (Math.abs(stop - start) > Number.MAX_SAFE_INTEGER) fail('range: too many elements (span exceeds 2^53)');
  return new Range(start, stop, step);
}

export function chr(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('chr', args, kwargs, 1, 1);
  const c = asInt('chr', 'i', args[0]!);
  if (c < 0) fail(`chr: Unicode code point ${c} out of range (<0)`);
  if (c > 0x10ffff) fail(`chr: Unicode code point U+${c.toString(16).toUpperCase()} out of range (>0x10FFFF)`);
  return codePointString(c);
}

export function ord(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('ord', args, kwargs, 1, 1);
  const x = args[0]!;
  if (x instanceof Bytes) {
    if (x.data.length !== 1) fail(`ord: bytes has length ${x.data.length}, want 1`);
    return x.data[0]!;
  }
  if (typeof x !== 'string') fail(`ord: got ${typeName(x)}, want string or bytes`);
  const cps = [...x];
  if (cps.length !== 1) fail(`ord: string encodes ${cps.length} Unicode code points, want 1`);
  return cps[0]!.codePointAt(0)!;
}
