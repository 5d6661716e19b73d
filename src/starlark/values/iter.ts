/**
 * Iteration protocol used by compiled for-loops and comprehensions:
 *
 *   const it = iterate(thread, x);
 *   try { for (let v; (v = it.next()) !== undefined; ) { ... } } finally { it.done(); }
 *
 * `next()` returns undefined at the end (no Starlark value is undefined).
 * While an iterator over a list/dict/set is live, mutating that collection
 * fails ("cannot append to list during iteration"); `done()` lifts this.
 */
import { fail } from './errors.ts';
import { isHost, typeName } from './kinds.ts';
import type { Thread } from './thread.ts';
import { Bytes, Dict, HashTable, List, Range, StarSet, StringIter, Tuple, type Value } from './value.ts';

export interface Iter {
  next(): Value | undefined;
  done(): void;
}

class ArrayIter implements Iter {
  private i = 0;
  private readonly elems: readonly Value[];
  private owner: List | HashTable | null;
  constructor(elems: readonly Value[], owner: List | HashTable | null) {
    this.elems = elems;
    this.owner = owner;
    if (owner !== null) owner.itercount++;
  }
  next(): Value | undefined {
    return this.i < this.elems.length ? this.elems[this.i++] : undefined;
  }
  done(): void {
    if (this.owner !== null) {
      this.owner.itercount--;
      this.owner = null; // done() is idempotent
    }
  }
}

class HostIter implements Iter {
  readonly next: () => Value | undefined;
  constructor(next: () => Value | undefined) {
    this.next = next;
  }
  done(): void {}
}

class RangeIter implements Iter {
  private i = 0;
  private readonly r: Range;
  constructor(r: Range) {
    this.r = r;
  }
  next(): Value | undefined {
    return this.i < this.r.len ? this.r.start + this.r.step * this.i++ : undefined;
  }
  done(): void {}
}

/** Starts iterating v; fails with "T value is not iterable". */
export function iterate(thread: Thread, v: Value): Iter {
  if (v instanceof List) return new ArrayIter(v.elems, v);
  if (v instanceof Range) return new RangeIter(v);
  if (isHost(v) && v.iterate !== undefined) return new HostIter(v.iterate());
  const elems = iterableElems(thread, v);
  if (elems === null) fail(`${typeName(v)} value is not iterable`);
  return new ArrayIter(elems, v instanceof HashTable ? v : null);
}

/** The keys of a dict or elements of a set, in insertion order. */
export function tableKeys(t: HashTable): Value[] {
  if (t.origKeys === null) return t.keys() as Value[];
  const out = new Array<Value>(t.size);
  let i = 0;
  for (const mk of t.keys()) out[i++] = t.origKey(mk);
  return out;
}

/**
 * The elements of any iterable as a JS array (a list's own array: do not
 * mutate it), or null when v is not iterable. Charges steps for materialising.
 */
export function iterableElems(thread: Thread, v: Value): Value[] | null {
  if (v instanceof List || v instanceof Tuple) {
    thread.step(v.elems.length >> 4);
    return v.elems;
  }
  if (v instanceof Dict || v instanceof StarSet) {
    thread.step(v.size);
    return tableKeys(v);
  }
  if (v instanceof Range) {
    thread.checkList(v.len);
    thread.step(v.len);
    const out = new Array<Value>(v.len);
    for (let i = 0; i < v.len; i++) out[i] = v.start + v.step * i;
    return out;
  }
  if (v instanceof StringIter) return stringIterElems(v);
  if (isHost(v) && v.iterate !== undefined) {
    // Materialise a finite host iterable, charging for (and bounding) its length.
    const next = v.iterate();
    const out: Value[] = [];
    for (let e = next(); e !== undefined; e = next()) {
      if (out.length >= thread.limits.maxListLength) thread.checkList(out.length + 1);
      thread.step();
      out.push(e);
    }
    return out;
  }
  return null;
}

/** Like iterableElems, but fails: "<what>: got T, want iterable" (what may be empty). */
export function toArray(thread: Thread, v: Value, what: string): Value[] {
  const elems = iterableElems(thread, v);
  if (elems === null) fail(`${what ? what + ': ' : ''}got ${typeName(v)}, want iterable`);
  return elems;
}

function stringIterElems(it: StringIter): Value[] {
  const src = it.src;
  if (src instanceof Bytes) {
    return Array.from(src.data); // bytes.elems() yields ints
  }
  const out: Value[] = [];
  switch (it.kind) {
    case 'elems':
      for (let i = 0; i < src.length; i++) out.push(src[i]!);
      break;
    case 'elem_ords':
      for (let i = 0; i < src.length; i++) out.push(src.charCodeAt(i));
      break;
    case 'codepoints':
      for (const ch of src) out.push(ch);
      break;
    case 'codepoint_ords':
      for (const ch of src) out.push(ch.codePointAt(0)!);
      break;
  }
  return out;
}
