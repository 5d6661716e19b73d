/**
 * The insertion-ordered table behind Dict and StarSet, keyed by canonical
 * keys (hashing.ts `keyOf`), laid out as CPython's compact dict: keys and
 * values interleaved in insertion order (`[k0, v0, k1, v1, ...]`), plus, once
 * the table has more than SMALL entries, an open-addressing index holding
 * each entry's number next to its hash (keyhash.ts), so that a probe reads
 * one place in memory and touches the key only when the hashes match. A small table (most dicts
 * are small records) is just that one array, searched linearly: a JS Map
 * costs about a microsecond and hundreds of bytes to create, and V8 hashes a
 * fresh string key through a slow runtime call. Callers use the Map-like
 * methods below and never see the layout.
 */
import { keyHash } from './keyhash.ts';
import type { Value } from './value.ts';

/** Largest table without an index (linear search beats hashing up to about this size). */
const SMALL = 8;
/** Key of a deleted entry in an indexed table (canonical keys are never symbols). */
const HOLE = Symbol('deleted');
/**
 * Index slot j is index[2j] = entry number + 1 and index[2j + 1] = its hash;
 * 0 is free (a fresh Int32Array needs no fill) and ends a probe, DELETED does not.
 */
const EMPTY = 0;
const DELETED = -1;

/** Position of canonical key mk in a flat [k, v, ...] array, or -1. NaN finds NaN, as in a Map. */
function find(kv: unknown[], mk: unknown): number {
  for (let i = 0; i < kv.length; i += 2) if (kv[i] === mk) return i;
  if (mk !== mk) for (let i = 0; i < kv.length; i += 2) if (kv[i] !== kv[i]) return i;
  return -1;
}

/**
 * `origKeys` remembers the original key where it differs from its canonical
 * form (a float 1.5, a tuple, bytes); as in Python, the first key inserted is
 * kept (d[1.0] = x; d[1] = y keeps 1.0). Read entries with `origKey`, or
 * collections.ts `tableEntries`; write through collections.ts `tableSet`.
 */
export class HashTable {
  /** Keys and values interleaved, in insertion order; a deleted entry (indexed tables only) has key HOLE. */
  private kv: unknown[] = [];
  /** Indexed tables only (null while small): slot j -> entry number + 1, hash (see EMPTY). */
  private index: Int32Array | null = null;
  /** Live entries; index slots in use (live or DELETED); position in kv of the first live entry. */
  private count = 0;
  private filled = 0;
  private head = 0;
  origKeys: Map<unknown, Value> | null = null;
  frozen = false;
  itercount = 0;

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  /**
   * Compatibility for compile/ (function.ts, support.ts), which reads
   * `d.map.size`; remove once it reads `d.size` (NOTES-runtime.md).
   */
  get map(): { readonly size: number } {
    return this;
  }

  /**
   * Index slot holding mk's entry (hash h); when absent, -1 - the slot where
   * it would go (the first deleted or free one on its probe sequence).
   */
  private slot(mk: unknown, h: number): number {
    const index = this.index!;
    const kv = this.kv;
    const mask = (index.length >> 1) - 1;
    let free = -1;
    for (let j = h & mask; ; j = (j + 1) & mask) {
      const x = index[2 * j]!;
      if (x === EMPTY) return -1 - (free < 0 ? j : free);
      if (x === DELETED) {
        if (free < 0) free = j;
      } else if (index[2 * j + 1] === h) {
        const k = kv[2 * (x - 1)];
        if (k === mk || (k !== k && mk !== mk)) return j;
      }
    }
  }

  /** Position in kv of mk's key, or -1. */
  private position(mk: unknown): number {
    if (this.index === null) return find(this.kv, mk);
    const j = this.slot(mk, keyHash(mk));
    return j < 0 ? -1 : 2 * (this.index![2 * j]! - 1);
  }

  get(mk: unknown): Value | undefined {
    const i = this.position(mk);
    return i < 0 ? undefined : (this.kv[i + 1] as Value);
  }

  has(mk: unknown): boolean {
    return this.position(mk) >= 0;
  }

  /** Inserts or updates the entry of canonical key mk (no checks: see collections.ts tableSet). */
  set(mk: unknown, v: Value): void {
    if (this.index === null) {
      const kv = this.kv;
      const i = find(kv, mk);
      if (i >= 0) {
        kv[i + 1] = v;
        return;
      }
      if (kv.length < 2 * SMALL) {
        kv.push(mk, v);
        this.count++;
        return;
      }
      this.reindex();
    }
    const h = keyHash(mk);
    const j = this.slot(mk, h);
    if (j >= 0) this.kv[2 * (this.index![2 * j]! - 1) + 1] = v;
    else this.insert(mk, h, v, -1 - j);
  }

  /** Adds an entry known to be absent at index slot j (from `slot`). */
  private insert(mk: unknown, h: number, v: Value, j: number): void {
    const index = this.index!;
    const e = this.kv.length >> 1;
    this.kv.push(mk, v);
    if (index[2 * j] === EMPTY) this.filled++;
    index[2 * j] = e + 1;
    index[2 * j + 1] = h;
    this.count++;
    // Linear probing stays short (about 2.5 probes per insert) up to a load of 1/2.
    if (4 * this.filled >= index.length) this.reindex();
  }

  /**
   * Drops deleted entries and rebuilds the index at a load of at most 1/4 (so
   * it grows 4x at a time), reusing the hashes stored in the old index.
   */
  private reindex(): void {
    const old = this.kv;
    const oldIndex = this.index;
    let kv = old;
    // New entry number + 1 of each old entry, when deleted ones are dropped.
    let renumber: Int32Array | null = null;
    if (this.count !== old.length >> 1) {
      kv = [];
      renumber = new Int32Array(old.length >> 1);
      for (let i = this.head; i < old.length; i += 2) {
        if (old[i] === HOLE) continue;
        kv.push(old[i], old[i + 1]);
        renumber[i >> 1] = kv.length >> 1;
      }
    }
    let cap = 16;
    while (cap < 4 * this.count) cap <<= 1;
    const index = new Int32Array(2 * cap);
    const mask = cap - 1;
    const place = (x: number, h: number): void => {
      let j = h & mask;
      while (index[2 * j] !== EMPTY) j = (j + 1) & mask;
      index[2 * j] = x;
      index[2 * j + 1] = h;
    };
    if (oldIndex === null) {
      for (let e = 0; e < this.count; e++) place(e + 1, keyHash(kv[2 * e]));
    } else {
      for (let j = 0; j < oldIndex.length; j += 2) {
        const x = oldIndex[j]!;
        if (x > 0) place(renumber === null ? x : renumber[x - 1]!, oldIndex[j + 1]!);
      }
    }
    this.kv = kv;
    this.index = index;
    this.filled = this.count;
    this.head = 0;
  }

  /** Appends an entry whose canonical key is known to be absent (a table being built from unique keys). */
  append(mk: unknown, v: Value): void {
    const kv = this.kv;
    if (this.index === null && kv.length < 2 * SMALL) {
      kv.push(mk, v);
      this.count++;
    } else {
      this.set(mk, v);
    }
  }

  /** Removes the entry of mk (and its original key); returns whether it was there. */
  delete(mk: unknown): boolean {
    this.origKeys?.delete(mk);
    const kv = this.kv;
    if (this.index === null) {
      const i = find(kv, mk);
      if (i < 0) return false;
      kv.splice(i, 2);
      this.count--;
      return true;
    }
    const j = this.slot(mk, keyHash(mk));
    if (j < 0) return false;
    const i = 2 * (this.index[2 * j]! - 1);
    kv[i] = HOLE;
    kv[i + 1] = undefined;
    this.index[2 * j] = DELETED;
    this.count--;
    while (this.head < kv.length && kv[this.head] === HOLE) this.head += 2;
    // Mostly holes: compact, so that iteration stays proportional to the size.
    if (kv.length > 4 * SMALL && 4 * this.count < kv.length) this.reindex();
    return true;
  }

  clear(): void {
    this.kv = [];
    this.index = null;
    this.count = this.filled = this.head = 0;
    this.origKeys = null;
  }

  /** The canonical keys in order, for iterating (a fresh array). */
  keys(): Iterable<unknown> {
    return this.keyList();
  }

  /** The canonical keys in order (a fresh array). */
  keyList(): unknown[] {
    const kv = this.kv;
    const out = new Array<unknown>(this.count);
    let n = 0;
    for (let i = this.head; i < kv.length; i += 2) if (kv[i] !== HOLE) out[n++] = kv[i];
    return out;
  }

  /** The values in order (a fresh array). */
  values(): Value[] {
    const kv = this.kv;
    const out = new Array<Value>(this.count);
    let n = 0;
    for (let i = this.head; i < kv.length; i += 2) if (kv[i] !== HOLE) out[n++] = kv[i + 1] as Value;
    return out;
  }

  /** [canonical key, value] pairs in order (a fresh array). */
  entries(): Array<[unknown, Value]> {
    const kv = this.kv;
    const out = new Array<[unknown, Value]>(this.count);
    let n = 0;
    for (let i = this.head; i < kv.length; i += 2) if (kv[i] !== HOLE) out[n++] = [kv[i], kv[i + 1] as Value];
    return out;
  }

  /** The first canonical key in order (for popitem and set.pop), or undefined when empty. */
  firstKey(): unknown {
    return this.count === 0 ? undefined : this.kv[this.head];
  }

  /** The key of the entry whose canonical key is `mk`. */
  origKey(mk: unknown): Value {
    if (this.origKeys !== null) {
      const k = this.origKeys.get(mk);
      if (k !== undefined) return k;
    }
    return mk as Value;
  }

  /** Copies the entry `mk` (value and original key) from another table. */
  copyEntry(from: HashTable, mk: unknown): void {
    this.set(mk, from.get(mk)!);
    const k = from.origKeys?.get(mk);
    if (k !== undefined) (this.origKeys ??= new Map()).set(mk, k);
  }

  /** Makes this (empty) table a copy of `from`: entries and original keys. */
  copyFrom(from: HashTable): void {
    this.kv = from.kv.slice();
    this.index = from.index !== null ? from.index.slice() : null;
    this.count = from.count;
    this.filled = from.filled;
    this.head = from.head;
    if (from.origKeys !== null) this.origKeys = new Map(from.origKeys);
  }
}
