/**
 * The insertion-ordered table behind Dict and StarSet, keyed by canonical
 * keys (hashing.ts `keyOf`). Most dicts are small records (a JSON object, a
 * keyword set), and a JS Map costs about a microsecond and several hundred
 * bytes to create, so a table of up to SMALL entries is one flat array
 * `[k0, v0, k1, v1, ...]` searched linearly; past that it moves to a Map for
 * good. Callers use the Map-like methods below and never see the layout.
 */
import type { Value } from './value.ts';

/** Largest table kept as a flat array (linear search beats hashing up to about this size). */
const SMALL = 8;

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
  /** Small layout: keys and values interleaved; null once the table is a Map. */
  private kv: unknown[] | null = [];
  private big: Map<unknown, Value> | null = null;
  origKeys: Map<unknown, Value> | null = null;
  frozen = false;
  itercount = 0;

  /** Number of entries. */
  get size(): number {
    return this.kv !== null ? this.kv.length >> 1 : this.big!.size;
  }

  /**
   * Compatibility for compile/ (function.ts, support.ts), which reads
   * `d.map.size`; remove once it reads `d.size` (NOTES-runtime.md).
   */
  get map(): { readonly size: number } {
    return this;
  }

  get(mk: unknown): Value | undefined {
    const kv = this.kv;
    if (kv === null) return this.big!.get(mk);
    const i = find(kv, mk);
    return i < 0 ? undefined : (kv[i + 1] as Value);
  }

  has(mk: unknown): boolean {
    return this.kv !== null ? find(this.kv, mk) >= 0 : this.big!.has(mk);
  }

  /** Inserts or updates the entry of canonical key mk (no checks: see collections.ts tableSet). */
  set(mk: unknown, v: Value): void {
    const kv = this.kv;
    if (kv === null) {
      this.big!.set(mk, v);
      return;
    }
    const i = find(kv, mk);
    if (i >= 0) {
      kv[i + 1] = v;
    } else if (kv.length < 2 * SMALL) {
      kv.push(mk, v);
    } else {
      const big = new Map<unknown, Value>();
      for (let j = 0; j < kv.length; j += 2) big.set(kv[j], kv[j + 1] as Value);
      big.set(mk, v);
      this.big = big;
      this.kv = null;
    }
  }

  /** Appends an entry whose canonical key is known to be absent (a table being built from unique keys). */
  append(mk: unknown, v: Value): void {
    const kv = this.kv;
    if (kv !== null && kv.length < 2 * SMALL) kv.push(mk, v);
    else this.set(mk, v);
  }

  /** Removes the entry of mk (and its original key); returns whether it was there. */
  delete(mk: unknown): boolean {
    this.origKeys?.delete(mk);
    const kv = this.kv;
    if (kv === null) return this.big!.delete(mk);
    const i = find(kv, mk);
    if (i < 0) return false;
    kv.splice(i, 2);
    return true;
  }

  clear(): void {
    this.kv = [];
    this.big = null;
    this.origKeys = null;
  }

  /** The canonical keys in order, for iterating (do not mutate the table meanwhile). */
  keys(): Iterable<unknown> {
    return this.kv === null ? this.big!.keys() : this.keyList();
  }

  /** The canonical keys in order (a fresh array). */
  keyList(): unknown[] {
    const kv = this.kv;
    if (kv === null) return Array.from(this.big!.keys());
    const out = new Array<unknown>(kv.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = kv[2 * i];
    return out;
  }

  /** The values in order (a fresh array). */
  values(): Value[] {
    const kv = this.kv;
    if (kv === null) return Array.from(this.big!.values());
    const out = new Array<Value>(kv.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = kv[2 * i + 1] as Value;
    return out;
  }

  /** [canonical key, value] pairs in order. */
  entries(): Iterable<[unknown, Value]> {
    const kv = this.kv;
    if (kv === null) return this.big!;
    const out = new Array<[unknown, Value]>(kv.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = [kv[2 * i], kv[2 * i + 1] as Value];
    return out;
  }

  /** The first canonical key in order (for popitem and set.pop), or undefined when empty. */
  firstKey(): unknown {
    const kv = this.kv;
    if (kv === null) return this.big!.size === 0 ? undefined : this.big!.keys().next().value;
    return kv.length === 0 ? undefined : kv[0];
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
    this.kv = from.kv !== null ? from.kv.slice() : null;
    this.big = from.big !== null ? new Map(from.big) : null;
    if (from.origKeys !== null) this.origKeys = new Map(from.origKeys);
  }
}
