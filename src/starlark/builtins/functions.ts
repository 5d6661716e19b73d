/** The non-constructor builtins: abs, any, all, dir, enumerate, fail, getattr, hasattr, hash, len, min, max, print, repr, reversed, type, zip (sorted: sort.ts). */
import { order } from '../values/compare.ts';
import { fail as raise, StarlarkError } from '../values/errors.ts';
import { CACHED_HASH_MIN_LENGTH, StringHashCache } from '../values/hash-cache.ts';
import { fnv32a, javaStringHash } from '../values/hashing.ts';
import * as I from '../values/int.ts';
import { iterableElems, toArray } from '../values/iter.ts';
import { truth as truthOf, typeName } from '../values/kinds.ts';
import { call1 } from '../values/ops.ts';
import { attrNames, getAttr, hasAttr } from './attrs.ts';
import { repr as reprOf, str } from '../values/repr.ts';
import type { Thread } from '../values/thread.ts';
import { Bytes, Dict, Float, List, Range, StarSet, StringIter, Tuple, type Kwargs, type Value } from '../values/value.ts';
import { asCallable, asInt, asString, params, positional, unexpectedKeyword } from './args.ts';

export function abs(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('abs', args, kwargs, 1, 1);
  const x = args[0]!;
  if (typeof x === 'number' || typeof x === 'bigint') return I.abs(x);
  if (x instanceof Float) return x.value < 0 || Object.is(x.value, -0) ? new Float(-x.value) : x;
  return raise(`abs: got ${typeName(x)}, want int or float`);
}

function quantifier(name: string, want: boolean) {
  return (thread: Thread, args: Value[], kwargs: Kwargs | null): Value => {
    positional(name, args, kwargs, 1, 1);
    const elems = toArray(thread, args[0]!, name);
    for (let i = 0; i < elems.length; i++) {
      if (truthOf(elems[i]!) === want) {
        thread.step(i);
        return want;
      }
    }
    thread.step(elems.length);
    return !want;
  };
}
export const any = quantifier('any', true);
export const all = quantifier('all', false);

export function dir(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('dir', args, kwargs, 1, 1);
  return new List(attrNames(args[0]!));
}

const ENUMERATE = params('enumerate', 'iterable', 'start?');

export function enumerate(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  const [it, start] = ENUMERATE.unpack(args, kwargs);
  const elems = toArray(thread, it!, 'enumerate');
  const s = start === undefined ? 0 : asInt('enumerate', 'start', start);
  thread.step(elems.length);
  const out = new Array<Value>(elems.length);
  for (let i = 0; i < elems.length; i++) out[i] = new Tuple([s + i, elems[i]!]);
  return new List(out);
}

/** The `sep` keyword of print/fail (default " "); no other keywords. */
function sepOf(name: string, kwargs: Kwargs | null): string {
  let sep = ' ';
  if (kwargs !== null) {
    for (const [k, v] of kwargs) {
      if (k !== 'sep') unexpectedKeyword(name, k, ['sep']);
      sep = asString(name, 'sep', v);
    }
  }
  return sep;
}

export function fail(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  const sep = sepOf('fail', kwargs);
  throw new StarlarkError('fail: ' + args.map((a) => str(a, thread)).join(sep));
}

export function print(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  const sep = sepOf('print', kwargs);
  thread.print(thread, args.map((a) => str(a, thread)).join(sep));
  return null;
}

export function getattr(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('getattr', args, kwargs, 2, 3);
  const name = asString('getattr', 'name', args[1]!);
  if (args.length === 3 && !hasAttr(thread, args[0]!, name)) return args[2]!;
  return getAttr(thread, args[0]!, name);
}

export function hasattr(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('hasattr', args, kwargs, 2, 2);
  return hasAttr(thread, args[0]!, asString('hasattr', 'name', args[1]!));
}

export function hash(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  if (args.length !== 1 || kwargs !== null) positional('hash', args, kwargs, 1, 1);
  const x = args[0]!;
  if (typeof x === 'string') {
    // Long strings: CPython caches a string's hash in the object; the thread's cache stands in for that.
    if (x.length < CACHED_HASH_MIN_LENGTH) return javaStringHash(x);
    return (thread.hashCache ??= new StringHashCache()).hash(thread, x);
  }
  if (x instanceof Bytes) return fnv32a(x.data);
  return raise(`hash: got ${typeName(x)}, want string or bytes`);
}

export function len(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  if (args.length !== 1 || kwargs !== null) positional('len', args, kwargs, 1, 1);
  const n = lengthOf(args[0]!);
  return n >= 0 ? n : raise(`len: value of type ${typeName(args[0]!)} has no len`);
}

/** len(x), or -1 when x has no length. */
function lengthOf(x: Value): number {
  if (typeof x === 'string') return x.length;
  if (x instanceof List || x instanceof Tuple) return x.elems.length;
  if (x instanceof Dict || x instanceof StarSet) return x.size;
  if (x instanceof Range) return x.len;
  if (x instanceof Bytes) return x.data.length;
  if (x instanceof StringIter && x.kind.startsWith('elem')) return typeof x.src === 'string' ? x.src.length : x.src.data.length;
  return -1;
}

function minmax(name: string, sign: number) {
  return (thread: Thread, args: Value[], kwargs: Kwargs | null): Value => {
    let key: Value | undefined;
    if (kwargs !== null) {
      for (const [k, v] of kwargs) {
        if (k !== 'key') unexpectedKeyword(name, k, ['key']);
        key = asCallable(name, 'key', v);
      }
    }
    if (args.length === 0) raise(`${name} requires at least one positional argument`);
    let elems = args;
    if (args.length === 1) {
      const it = iterableElems(thread, args[0]!);
      if (it === null) raise(`${name}: ${typeName(args[0]!)} is not iterable`);
      // A key function could mutate the list: iterate a snapshot.
      elems = key === undefined ? it : it.slice();
    }
    if (elems.length === 0) raise(`${name}: argument is an empty sequence`);
    thread.step(elems.length);
    let best = elems[0]!;
    let bestKey = key === undefined ? best : call1(thread, key, best);
    for (let i = 1; i < elems.length; i++) {
      const k = key === undefined ? elems[i]! : call1(thread, key, elems[i]!);
      if (sign * order(k, bestKey) > 0) {
        best = elems[i]!;
        bestKey = k;
      }
    }
    return best;
  };
}

export const min = minmax('min', -1);
export const max = minmax('max', 1);

export function repr(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('repr', args, kwargs, 1, 1);
  return reprOf(args[0]!, thread);
}

export function reversed(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('reversed', args, kwargs, 1, 1);
  return new List(toArray(thread, args[0]!, 'reversed').slice().reverse());
}

export function type(_thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('type', args, kwargs, 1, 1);
  return typeName(args[0]!);
}

export function zip(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  positional('zip', args, kwargs, 0, Infinity);
  const cols = args.map((a, i) => iterableElems(thread, a) ?? raise(`zip: argument #${i + 1} is not iterable: ${typeName(a)}`));
  let n = cols.length === 0 ? 0 : Infinity;
  for (const c of cols) n = Math.min(n, c.length);
  thread.step(n * cols.length);
  const out = new Array<Value>(n);
  if (cols.length === 2) {
    const [a, b] = cols as [Value[], Value[]];
    for (let i = 0; i < n; i++) out[i] = new Tuple([a[i]!, b[i]!]);
  } else {
    for (let i = 0; i < n; i++) {
      const row = new Array<Value>(cols.length);
      for (let j = 0; j < cols.length; j++) row[j] = cols[j]![i]!;
      out[i] = new Tuple(row);
    }
  }
  return new List(out);
}
