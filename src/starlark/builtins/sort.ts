/**
 * sorted(). CPython sorts uniform keys with type-specialised comparisons;
 * a JS comparator that calls the general order() costs ~40 ns per
 * comparison, so uniform keys get their own paths: small ints are packed
 * with their index into one float and sorted natively (no comparator at
 * all), strings are sorted natively once per distinct key and their
 * indices grouped, tuples are sorted by their first elements that way and
 * then by a comparator of their elements (compare.ts orderSeq, which orders
 * ints and strings inline). Every path is stable, and with reverse=True equal keys keep
 * their order, as in Python.
 */
import { order, orderSeq } from '../values/compare.ts';
import { iterableElems } from '../values/iter.ts';
import { truth as truthOf, typeName } from '../values/kinds.ts';
import { call1 } from '../values/ops.ts';
import type { Thread } from '../values/thread.ts';
import { List, Tuple, type Kwargs, type Value } from '../values/value.ts';
import { asCallable, params } from './args.ts';

const SORTED = params('sorted', 'iterable', 'key?', 'reverse?');

/** sorted(iterable, key=None, reverse=False): charges n log n steps (plus one per key call). */
export function sorted(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
  const [it, key, rev] = SORTED.unpack(args, kwargs);
  const elems = iterableElems(thread, it!) ?? SORTED.error('iterable', `got ${typeName(it!)}, want iterable`);
  const sign = rev !== undefined && truthOf(rev) ? -1 : 1;
  const n = elems.length;
  thread.step(n * Math.ceil(Math.log2(n + 1)));
  const keyFn = key === undefined ? undefined : asCallable('sorted', 'key', key);
  if (keyFn === undefined) {
    const fast = sortPrimitives(elems, sign < 0);
    if (fast !== null) return new List(fast);
  }
  // Snapshot before calling back into Starlark: the key function could mutate the list.
  const snapshot = keyFn === undefined ? elems : elems.slice();
  const keys = keyFn === undefined ? elems : snapshot.map((e) => call1(thread, keyFn, e));
  const idx = sortIndices(keys, sign);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) out[i] = snapshot[idx[i]!]!;
  return new List(out);
}

/**
 * Sorts all-int (safe) or all-string arrays natively; null for anything else.
 * Stability does not matter here: equal ints or strings are indistinguishable.
 */
function sortPrimitives(elems: Value[], reverse: boolean): Value[] | null {
  if (elems.length === 0) return [];
  let out: Value[];
  if (elems.every((e) => typeof e === 'number')) {
    const nums = elems as number[];
    // Int32Array sorts about twice as fast as Float64Array; copy with plain loops (faster than from()).
    const typed = nums.every((n) => (n | 0) === n) ? new Int32Array(nums.length) : new Float64Array(nums.length);
    for (let i = 0; i < nums.length; i++) typed[i] = nums[i]!;
    typed.sort();
    out = new Array<Value>(typed.length);
    for (let i = 0; i < typed.length; i++) out[i] = typed[i]!;
  } else if (elems.every((e) => typeof e === 'string')) {
    out = (elems as string[]).slice().sort(); // default order: UTF-16 code units, as Starlark compares strings
  } else {
    return null;
  }
  return reverse ? out.reverse() : out;
}

/** Packed sort keys hold the index in this many low bits (and an int32 key above them: below 2^53). */
const INDEX_BITS = 21;
const INDEX_SPAN = 1 << INDEX_BITS;

/** The indices 0..n-1 stably sorted by keys (descending when sign < 0). */
function sortIndices(keys: Value[], sign: number): ArrayLike<number> {
  const n = keys.length;
  if (n < INDEX_SPAN && keys.every((k) => typeof k === 'number' && (k | 0) === k)) return sortPacked(keys as number[], sign);
  if (keys.every((k) => typeof k === 'string')) return sortGrouped(keys as string[], sign);
  const idx = Array.from(keys, (_k, i) => i);
  if (keys.every((k) => typeof k === 'number')) {
    const nk = keys as number[];
    return idx.sort((a, b) => sign * (nk[a]! - nk[b]!));
  }
  if (keys.every((k) => k instanceof Tuple && k.elems.length > 0)) {
    const tuples = keys as Tuple[];
    const heads = tuples.map((t) => t.elems[0]!);
    const byHead = n < INDEX_SPAN && heads.every((k) => typeof k === 'number' && (k | 0) === k) ? sortPacked(heads as number[], sign)
      : heads.every((k) => typeof k === 'string') ? sortGrouped(heads as string[], sign) : null;
    if (byHead !== null) return sortRuns(byHead, heads, tuples, sign);
  }
  return sortWith(idx, keys, sign);
}

/** Sorts idx by keys with the general order (tuples: their elements'); as starlark-go, the last comparison error is reported. */
function sortWith<T extends number[] | Int32Array>(idx: T, keys: Value[], sign: number): T {
  let err: unknown = null;
  idx.sort((a, b) => {
    try {
      const x = keys[a]!, y = keys[b]!;
      return sign * (x instanceof Tuple && y instanceof Tuple ? orderSeq(x.elems, y.elems) : order(x, y));
    } catch (e) {
      err = e;
      return 0;
    }
  });
  if (err !== null) throw err;
  return idx;
}

/**
 * Tuples already sorted by their first elements (ints or strings, as
 * CPython's tuple sort compares them first, specialised): each run of equal
 * first elements is then sorted by the whole tuples.
 */
function sortRuns(idx: Int32Array, heads: Value[], tuples: Tuple[], sign: number): Int32Array {
  for (let i = 0; i < idx.length;) {
    let j = i + 1;
    while (j < idx.length && heads[idx[j]!] === heads[idx[i]!]) j++;
    if (j - i > 1) sortWith(idx.subarray(i, j), tuples, sign);
    i = j;
  }
  return idx;
}

/**
 * int32 keys: key * 2^21 + index, sorted as floats (exact below 2^53), then
 * the index; keys spanning few values (`key=len`) are counted instead.
 */
function sortPacked(keys: number[], sign: number): Int32Array {
  const n = keys.length;
  let lo = 0, hi = 0;
  for (let i = 0; i < n; i++) {
    const k = sign * keys[i]!;
    if (i === 0 || k < lo) lo = k;
    if (i === 0 || k > hi) hi = k;
  }
  if (hi - lo <= n) return countingSort(keys, sign, lo, hi);
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = sign * keys[i]! * INDEX_SPAN + i;
  packed.sort();
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = packed[i]! - Math.floor(packed[i]! / INDEX_SPAN) * INDEX_SPAN;
  return idx;
}

/** Stable counting sort of the indices by sign * key, for keys within [lo, hi]. */
function countingSort(keys: number[], sign: number, lo: number, hi: number): Int32Array {
  const start = new Int32Array(hi - lo + 2);
  for (let i = 0; i < keys.length; i++) start[sign * keys[i]! - lo + 1]!++;
  for (let v = 1; v < start.length; v++) start[v]! += start[v - 1]!;
  const idx = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) idx[start[sign * keys[i]! - lo]!++] = i;
  return idx;
}

/** String keys: the distinct keys sorted natively, each followed by its indices in their original order. */
function sortGrouped(keys: string[], sign: number): Int32Array {
  const groups = new Map<string, number | number[]>();
  for (let i = 0; i < keys.length; i++) {
    const g = groups.get(keys[i]!);
    if (g === undefined) groups.set(keys[i]!, i);
    else if (typeof g === 'number') groups.set(keys[i]!, [g, i]);
    else g.push(i);
  }
  const distinct = Array.from(groups.keys()).sort(); // UTF-16 code unit order, as Starlark compares strings
  if (sign < 0) distinct.reverse();
  const idx = new Int32Array(keys.length);
  let k = 0;
  for (const d of distinct) {
    const g = groups.get(d)!;
    if (typeof g === 'number') idx[k++] = g;
    else for (const i of g) idx[k++] = i;
  }
  return idx;
}
