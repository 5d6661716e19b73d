/**
 * The insertion-ordered table behind Dict and StarSet, keyed by canonical
 * keys (hashing.ts `keyOf`), laid out as CPython's compact dict: keys and
 * values interleaved in insertion order (`[k0, v0, k1, v1, ...]`). A small
 * table (most dicts are small records) is just that array, searched linearly:
 * a JS Map costs about a microsecond and hundreds of bytes to create. Past
 * SMALL entries a table whose keys are all strings gets strindex.ts's
 * open-addressing index (V8's Map hashes each fresh string through a slow
 * runtime call); any other table moves to a JS Map of key -> value (native
 * hashing of numbers and objects, one operation per insert). Callers use the
 * Map-like methods below, never the layout.
 */
import { buildIndex, DELETED, EMPTY, probe, stringHash } from './strindex.ts';
import type { Value } from './value.ts';

/** Largest table without an index (linear search beats hashing up to about this size). */
export const SMALL = 8;
/** Key of a deleted entry in an indexed table (canonical keys are never symbols). */
const HOLE = Symbol('deleted');

/** Position of canonical key mk in a flat [k, v, ...] array, or -1. NaN finds NaN, as in a Map. */
function find(kv: unknown[], mk: unknown): number {
  for (let i = 0; i < kv.length; i += 2) if (kv[i] === mk) return i;
  if (mk !== mk) for (let i = 0; i < kv.length; i += 2) if (kv[i] !== kv[i]) return i;
  return -1;
}

/** Whether every key of a flat [k, v, ...] array is a string. */
function allStrings(kv: unknown[]): boolean {
  for (let i = 0; i < kv.length; i += 2) if (typeof kv[i] !== 'string') return false;
  return true;
}

/**
 * `origKeys` remembers the original key where it differs from its canonical
 * form (a float 1.5, a tuple, bytes); as in Python, the first key inserted is
 * kept (d[1.0] = x; d[1] = y keeps 1.0). Read entries with `origKey`, or
 * collections.ts `tableEntries`; write through collections.ts `tableSet`.
 */
export class HashTable {
  // Declared, then assigned in the constructor: V8 builds subclasses of a class with field initialisers 2x slower.
  /** Keys and values interleaved, in insertion order; a deleted entry (indexed tables only) has key HOLE. */
  declare private kv: unknown[];
  /** Large tables whose keys are all strings: the strindex.ts index (else null). */
  declare private index: Int32Array | null;
  /** The index may be another table's too (a dict literal's shape, a copy): copy it before writing to it. */
  declare private sharedIndex: boolean;
  /** Other large tables: all entries, in order (kv is then unused); else null. */
  declare private big: Map<unknown, Value> | null;
  /** Live entries in kv; `index` slots in use (live or DELETED); position in kv of the first live entry. */
  declare private count: number;
  declare private filled: number;
  declare private head: number;
  declare origKeys: Map<unknown, Value> | null;
  declare frozen: boolean;
  declare itercount: number;

  constructor() {
    this.kv = [];
    this.index = this.big = this.origKeys = null;
    this.sharedIndex = this.frozen = false;
    this.count = this.filled = this.head = this.itercount = 0;
  }

  /** Number of entries. */
  get size(): number {
    return this.big !== null ? this.big.size : this.count;
  }

  /** Position in kv of mk's key, or -1 (not for a Map table). */
  private position(mk: unknown): number {
    const index = this.index;
    if (index === null) return find(this.kv, mk);
    if (typeof mk !== 'string') return -1;
    const j = probe(index, this.kv, mk, stringHash(mk));
    return j < 0 ? -1 : 2 * (index[2 * j]! - 1);
  }

  get(mk: unknown): Value | undefined {
    if (this.big !== null) return this.big.get(mk);
    const i = this.position(mk);
    return i < 0 ? undefined : (this.kv[i + 1] as Value);
  }

  has(mk: unknown): boolean {
    return this.big !== null ? this.big.has(mk) : this.position(mk) >= 0;
  }

  /** Inserts or updates the entry of canonical key mk (no checks: see collections.ts tableSet). */
  set(mk: unknown, v: Value): void {
    if (this.big !== null) {
      this.big.set(mk, v);
      return;
    }
    const index = this.index;
    if (index !== null && typeof mk === 'string') {
      const h = stringHash(mk);
      const j = probe(index, this.kv, mk, h);
      if (j >= 0) this.kv[2 * index[2 * j]! - 1] = v;
      else this.insertIndexed(mk, h, v, -1 - j);
      return;
    }
    const i = this.position(mk);
    if (i >= 0) {
      this.kv[i + 1] = v;
      return;
    }
    if (index === null && this.kv.length < 2 * SMALL) {
      this.kv.push(mk, v);
      this.count++;
      return;
    }
    // A full small table, or the first key of an indexed one that is not a string.
    this.rebuild(index === null && typeof mk === 'string' && allStrings(this.kv));
    this.set(mk, v);
  }

  /** Adds an absent string key at index slot j (from `probe`). */
  private insertIndexed(mk: string, h: number, v: Value, j: number): void {
    const index = this.ownIndex();
    const e = this.kv.length >> 1;
    this.kv.push(mk, v);
    if (index[2 * j] === EMPTY) this.filled++;
    index[2 * j] = e + 1;
    index[2 * j + 1] = h;
    this.count++;
    // Linear probing stays short (about 2.5 probes per insert) up to a load of 1/2.
    if (4 * this.filled >= index.length) this.rebuild(true);
  }

  /**
   * Drops deleted entries and rebuilds the string index (reusing the hashes
   * in the old one) when `strings`, else moves the entries to a Map.
   */
  private rebuild(strings: boolean): void {
    if (!strings) {
      const big = new Map<unknown, Value>();
      const kv = this.kv;
      for (let i = this.head; i < kv.length; i += 2) if (kv[i] !== HOLE) big.set(kv[i], kv[i + 1] as Value);
      this.big = big;
      this.kv = [];
      this.index = null;
      this.sharedIndex = false;
      this.count = this.filled = this.head = 0;
      return;
    }
    const old = this.kv;
    let renumber: Int32Array | null = null; // new entry number + 1 by old number
    if (this.count !== old.length >> 1) {
      const kv: unknown[] = [];
      renumber = new Int32Array(old.length >> 1);
      for (let i = this.head; i < old.length; i += 2) {
        if (old[i] === HOLE) continue;
        kv.push(old[i], old[i + 1]);
        renumber[i >> 1] = kv.length >> 1;
      }
      this.kv = kv;
      this.head = 0;
    }
    this.index = buildIndex(this.kv, this.count, this.index, renumber);
    this.sharedIndex = false;
    this.filled = this.count;
  }

  /** The index, copied first if it is shared (copy on write). */
  private ownIndex(): Int32Array {
    if (this.sharedIndex) {
      this.index = this.index!.slice();
      this.sharedIndex = false;
    }
    return this.index!;
  }

  /** Adopts kv (distinct unescaped string keys, more than SMALL) with `index`, built for them in this order, shared. */
  adoptIndexed(kv: unknown[], index: Int32Array): void {
    this.kv = kv;
    this.count = this.filled = kv.length >> 1;
    this.index = index;
    this.sharedIndex = true;
  }

  /** Makes the flat array `kv` ([k0, v0, ...], distinct canonical keys) the storage of this empty table. */
  adopt(kv: unknown[]): void {
    if (kv.length > 2 * SMALL) {
      for (let i = 0; i < kv.length; i += 2) this.set(kv[i], kv[i + 1] as Value);
      return;
    }
    this.kv = kv;
    this.count = kv.length >> 1;
  }

  /** Appends an entry whose canonical key is known to be absent (a table being built from unique keys). */
  append(mk: unknown, v: Value): void {
    const kv = this.kv;
    if (this.index === null && this.big === null && kv.length < 2 * SMALL) {
      kv.push(mk, v);
      this.count++;
    } else {
      this.set(mk, v);
    }
  }

  /** Removes the entry of mk (and its original key); returns whether it was there. */
  delete(mk: unknown): boolean {
    this.origKeys?.delete(mk);
    if (this.big !== null) return this.big.delete(mk);
    const i = this.position(mk);
    if (i < 0) return false;
    const kv = this.kv;
    this.count--;
    if (this.index === null) {
      kv.splice(i, 2);
      return true;
    }
    const index = this.ownIndex();
    index[2 * probe(index, kv, mk as string, stringHash(mk as string))] = DELETED;
    kv[i] = HOLE;
    kv[i + 1] = undefined;
    while (this.head < kv.length && kv[this.head] === HOLE) this.head += 2;
    // Mostly holes: compact, so that iteration stays proportional to the size.
    if (kv.length > 4 * SMALL && 4 * this.count < kv.length) this.rebuild(true);
    return true;
  }

  clear(): void {
    this.kv = [];
    this.index = null;
    this.sharedIndex = false;
    this.big = null;
    this.count = this.filled = this.head = 0;
    this.origKeys = null;
  }

  /** The canonical keys in order (a fresh array). */
  keys(): unknown[] {
    return this.big !== null ? Array.from(this.big.keys()) : this.column(0);
  }

  /** The values in order (a fresh array). */
  values(): Value[] {
    return this.big !== null ? Array.from(this.big.values()) : (this.column(1) as Value[]);
  }

  /** The keys (offset 0) or values (offset 1) of kv, in order. */
  private column(offset: 0 | 1): unknown[] {
    const kv = this.kv;
    const out = new Array<unknown>(this.count);
    let n = 0;
    for (let i = this.head; i < kv.length; i += 2) if (kv[i] !== HOLE) out[n++] = kv[i + offset];
    return out;
  }

  /** [canonical key, value] pairs in order (a fresh array). */
  entries(): Array<[unknown, Value]> {
    if (this.big !== null) return Array.from(this.big);
    const kv = this.kv;
    const out = new Array<[unknown, Value]>(this.count);
    let n = 0;
    for (let i = this.head; i < kv.length; i += 2) if (kv[i] !== HOLE) out[n++] = [kv[i], kv[i + 1] as Value];
    return out;
  }

  /** The first canonical key in order (for popitem and set.pop), or undefined when empty. */
  firstKey(): unknown {
    if (this.big !== null) return this.big.size === 0 ? undefined : this.big.keys().next().value;
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
    // The index is shared until either table writes to it.
    this.index = from.index;
    this.sharedIndex = from.sharedIndex = from.index !== null;
    this.big = from.big !== null ? new Map(from.big) : null;
    this.count = from.count;
    this.filled = from.filled;
    this.head = from.head;
    if (from.origKeys !== null) this.origKeys = new Map(from.origKeys);
  }
}
