/**
 * The open-addressing index of a large string-keyed table (hashtable.ts):
 * slot j is index[2j] = entry number + 1 and index[2j + 1] = the key's hash,
 * so a probe reads one place in memory and touches the key (kv[2e]) only when
 * the hashes match. Hashes are computed in JS (stringHash) because V8 hashes a
 * fresh string for a Map through a runtime call that costs more than the
 * whole lookup here; seeded per process, so colliding keys cannot be prepared.
 */

/** A free slot (a fresh Int32Array needs no fill); it ends a probe. */
export const EMPTY = 0;
/** A deleted entry's slot; probes go on past it. */
export const DELETED = -1;

const SEED = (Math.random() * 0x100000000) | 0;

/** The last string hashed (if short) and its hash: `d[k] = d.get(k, 0) + 1` hashes k once. */
let lastKey = '';
let lastHash = stringHashOf('');
/** Longer strings are not remembered (the memo must not keep a big string alive). */
const MEMO_MAX_LENGTH = 256;

/** FNV-1a steps then murmur3's finaliser; 30 bits, so that a hash is a small integer in any V8 build. */
export function stringHash(s: string): number {
  if (s === lastKey) return lastHash;
  const h = stringHashOf(s);
  if (s.length <= MEMO_MAX_LENGTH) {
    lastKey = s;
    lastHash = h;
  }
  return h;
}

function stringHashOf(s: string): number {
  let h = SEED ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x3fffffff;
}

/**
 * The slot holding key mk (hash h) of the [k, v, ...] array kv; when absent,
 * -1 - the slot where it would go (the first deleted or free one probed).
 */
export function probe(index: Int32Array, kv: unknown[], mk: string, h: number): number {
  const mask = (index.length >> 1) - 1;
  let free = -1;
  for (let j = h & mask; ; j = (j + 1) & mask) {
    const x = index[2 * j]!;
    if (x === EMPTY) return -1 - (free < 0 ? j : free);
    if (x === DELETED) {
      if (free < 0) free = j;
    } else if (index[2 * j + 1] === h && kv[2 * (x - 1)] === mk) {
      return j;
    }
  }
}

/**
 * A new index for `count` live entries at a load of at most 1/4: from the
 * keys of kv when there is no old index, else from the old index's hashes,
 * with entry numbers mapped through `renumber` (new number + 1 by old number)
 * when deleted entries were dropped.
 */
export function buildIndex(kv: unknown[], count: number, old: Int32Array | null, renumber: Int32Array | null): Int32Array {
  // Growing tables grow 8x at a time while small (fewer rebuilds), 2x beyond 2^16 entries (memory).
  const room = count < 0x10000 ? 16 : 4;
  let cap = 16;
  while (cap < room * count) cap <<= 1;
  const index = new Int32Array(2 * cap);
  const mask = cap - 1;
  const n = old === null ? count : old.length >> 1;
  for (let i = 0; i < n; i++) {
    let x: number;
    let h: number;
    if (old === null) {
      x = i + 1;
      h = stringHash(kv[2 * i] as string);
    } else {
      x = old[2 * i]!;
      if (x <= 0) continue;
      if (renumber !== null) x = renumber[x - 1]!;
      h = old[2 * i + 1]!;
    }
    let j = h & mask;
    while (index[2 * j] !== EMPTY) j = (j + 1) & mask;
    index[2 * j] = x;
    index[2 * j + 1] = h;
  }
  return index;
}
