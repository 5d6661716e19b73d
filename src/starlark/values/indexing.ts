/** x[i], x[i] = v and x[lo:hi:step] (spec "Index expressions" and "Slice expressions"). */
import { checkListMutable, dictGet, tableSet } from './collections.ts';
import { fail } from './errors.ts';
import { isHost, typeName } from './kinds.ts';
import type { Thread } from './thread.ts';
import { Bytes, Dict, List, Range, StringIter, Tuple, type Value } from './value.ts';

/** The indexable sequence behind .elems()/.elem_ords() (the other views are not indexable). */
function elemsView(x: StringIter): Value {
  const src = x.src;
  if (src instanceof Bytes) return new Tuple(Array.from(src.data));
  return x.kind === 'elems' ? src : new Tuple(Array.from(src, (_c, k) => src.charCodeAt(k)));
}

function outOfRange(i: Value, n: number, x: Value): never {
  if (n === 0) fail(`index ${i} out of range: empty ${typeName(x)}`);
  return fail(`${typeName(x)} index ${i} out of range [${-n}:${n - 1}]`);
}

/** Converts an index operand to a number; `what` prefixes the error. */
export function toIndex(i: Value, what: string): number {
  if (typeof i === 'number') return i;
  if (typeof i === 'bigint') return i > 0n ? Infinity : -Infinity; // out of range for any sequence
  return fail(`${what}: got ${typeName(i)}, want int`);
}

/** Resolves a possibly negative index against length n, failing when out of range (`shown` is the index as written). */
export function resolveIndex(i: number, n: number, x: Value, shown: Value = i): number {
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n || !Number.isFinite(j)) outOfRange(shown, n, x);
  return j;
}

/** x[i]. */
export function getIndex(x: Value, i: Value): Value {
  if (x instanceof List || x instanceof Tuple) {
    const e = x.elems;
    if (typeof i === 'number' && i >= 0 && i < e.length) return e[i]!;
    return e[resolveIndex(toIndex(i, `${typeName(x)} index`), e.length, x, i)]!;
  }
  if (x instanceof Dict) return dictGet(x, i);
  if (typeof x === 'string') {
    if (typeof i === 'number' && i >= 0 && i < x.length) return x[i]!;
    return x[resolveIndex(toIndex(i, 'string index'), x.length, x, i)]!;
  }
  if (x instanceof Range) return x.start + x.step * resolveIndex(toIndex(i, 'range index'), x.len, x, i);
  if (x instanceof Bytes) {
    const j = resolveIndex(toIndex(i, 'bytes index'), x.data.length, x, i);
    return new Bytes(x.data.slice(j, j + 1));
  }
  if (x instanceof StringIter && x.kind.startsWith('elem')) return getIndex(elemsView(x), i);
  if (isHost(x) && x.getIndex !== undefined) return x.getIndex(i);
  return fail(`unhandled index operation ${typeName(x)}[${typeName(i)}]`);
}

/** x[i] = v. */
export function setIndex(thread: Thread, x: Value, i: Value, v: Value): void {
  if (x instanceof List) {
    if (typeof i === 'number' && i >= 0 && i < x.elems.length && !x.frozen && x.itercount === 0) {
      x.elems[i] = v;
      return;
    }
    checkListMutable(x, 'assign to element of');
    x.elems[resolveIndex(toIndex(i, 'list index'), x.elems.length, x, i)] = v;
    return;
  }
  if (x instanceof Dict) {
    tableSet(thread, x, i, v);
    return;
  }
  fail(`${typeName(x)} value does not support item assignment`);
}

/** Normalised slice bounds: the indices to take are lo, lo+step, ... (stopping before hi). */
function sliceIndices(n: number, lo: Value, hi: Value, step: Value): [number, number, number] {
  const st = step === null ? 1 : toIndex(step, 'invalid slice step');
  if (st === 0) fail('slice step cannot be zero');
  // Defaults and clamping as in Python: for negative steps the range runs from n-1 down to -1.
  const clamp = (v: Value, dflt: number, what: string): number => {
    if (v === null) return dflt;
    let j = toIndex(v, what);
    if (j < 0) j += n;
    if (st > 0) return j < 0 ? 0 : j > n ? n : j;
    return j < -1 ? -1 : j > n - 1 ? n - 1 : j;
  };
    const s = 'invalid start index', e = 'invalid end index';
  return st > 0 ? [clamp(lo, 0, s), clamp(hi, n, e), st] : [clamp(lo, n - 1, s), clamp(hi, -1, e), st];
}

/** How many indices lo, lo+step, ... come before hi. */
function countOf(lo: number, hi: number, step: number): number {
  const n = step > 0 ? Math.ceil((hi - lo) / step) : Math.ceil((lo - hi) / -step);
  return n > 0 ? n : 0;
}

function pick<T>(src: ArrayLike<T>, lo: number, hi: number, step: number): T[] {
  const n = countOf(lo, hi, step);
  const out = new Array<T>(n);
  for (let k = 0, i = lo; k < n; k++, i += step) out[k] = src[i]!;
  return out;
}

const NON_LATIN1 = /[^\x00-\xff]/;

/** Results up to this length are concatenated; longer ones are assembled in a Buffer. */
const SHORT_STEP_SLICE = 32;

/**
 * x[lo:hi:step] of a string for step != 1. Code units are copied exactly
 * (a reversed surrogate pair stays two lone surrogates). The spanned part is
 * copied out natively (one byte per code unit for a Latin-1 string), picked
 * from in a typed array and decoded natively: an array of one-character
 * strings and a join cost ~10x CPython.
 */
function stepString(x: string, lo: number, hi: number, step: number): string {
  const n = countOf(lo, hi, step);
  if (n <= SHORT_STEP_SLICE) {
    let out = '';
    for (let k = 0, i = lo; k < n; k++, i += step) out += x[i];
    return out;
  }
  const first = step > 0 ? lo : lo + step * (n - 1);
  const part = x.slice(first, first + Math.abs(step) * (n - 1) + 1);
  // Near free on V8's one-byte strings, which cannot match.
  const wide = NON_LATIN1.test(part);
  const enc = wide ? 'utf16le' : 'latin1';
  const src = Buffer.from(part, enc);
  if (step === -1) return (wide ? src.reverse().swap16() : src.reverse()).toString(enc);
  const out = Buffer.allocUnsafe(wide ? 2 * n : n);
  const start = step > 0 ? 0 : part.length - 1;
  if (!wide) {
    for (let k = 0, i = start; k < n; k++, i += step) out[k] = src[i]!;
  } else {
    for (let k = 0, i = 2 * start; k < 2 * n; k += 2, i += 2 * step) {
      out[k] = src[i]!;
      out[k + 1] = src[i + 1]!;
    }
  }
  return out.toString(enc);
}

/** x[lo:hi:step]; absent operands are null. Pass the thread so that big copies are charged as steps. */
export function slice(x: Value, lo: Value, hi: Value, step: Value, thread?: Thread): Value {
  const r = sliceOf(x, lo, hi, step);
  if (thread !== undefined) thread.step(lengthForSteps(r) >> 4);
  return r;
}

function lengthForSteps(v: Value): number {
  if (typeof v === 'string') return v.length;
  if (v instanceof List || v instanceof Tuple) return v.elems.length;
  return v instanceof Bytes ? v.data.length : 0;
}

function sliceOf(x: Value, lo: Value, hi: Value, step: Value): Value {
  if (typeof x === 'string') {
    const [a, b, s] = sliceIndices(x.length, lo, hi, step);
    if (s === 1) return a < b ? x.slice(a, b) : '';
    return stepString(x, a, b, s);
  }
  if (x instanceof List || x instanceof Tuple) {
    const [a, b, s] = sliceIndices(x.elems.length, lo, hi, step);
    const elems = s === 1 ? x.elems.slice(a, Math.max(a, b)) : pick(x.elems, a, b, s);
    return x instanceof List ? new List(elems) : new Tuple(elems);
  }
  if (x instanceof Bytes) {
    const [a, b, s] = sliceIndices(x.data.length, lo, hi, step);
    return new Bytes(s === 1 ? x.data.slice(a, Math.max(a, b)) : Uint8Array.from(pick(x.data, a, b, s)));
  }
  if (x instanceof Range) {
    const [a, b, s] = sliceIndices(x.len, lo, hi, step);
    return new Range(x.start + a * x.step, x.start + b * x.step, x.step * s);
  }
  return fail(`invalid slice operand ${typeName(x)}`);
}
