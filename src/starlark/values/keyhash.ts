/**
 * 32-bit hashes of canonical table keys (hashing.ts `keyOf`) for the large
 * tables in hashtable.ts. Computed in JS because V8 hashes a fresh string for
 * a Map through a runtime call that costs more than the whole lookup here.
 * Seeded per process, so that colliding keys cannot be prepared in advance.
 */

const SEED = (Math.random() * 0x100000000) | 0;

/**
 * murmur3's finaliser: spreads every input bit over the low bits used by the
 * index; 30 bits, so that a hash is a small integer (no heap number) in any V8 build.
 */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x3fffffff;
}

export function stringHash(s: string): number {
  let h = SEED ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function numberHash(n: number): number {
  if ((n | 0) === n) return mix(n ^ SEED); // also -0, which equals 0
  if (n !== n) return mix(SEED); // NaN finds NaN (SameValueZero, as a Map)
  f64[0] = n;
  return mix(u32[0]! ^ Math.imul(u32[1]!, 0x9e3779b1) ^ SEED);
}

/** Identity hashes for object keys (functions, host values without hashKey). */
const ids = new WeakMap<object, number>();
let nextId = 1;

/** The hash of a canonical key; equal keys (=== or both NaN) hash alike. */
export function keyHash(mk: unknown): number {
  switch (typeof mk) {
    case 'string':
      return stringHash(mk);
    case 'number':
      return numberHash(mk);
    case 'bigint':
      return stringHash(mk.toString());
    case 'boolean':
      return mix(SEED + (mk ? 1 : 2));
  }
  if (mk === null) return mix(SEED + 3);
  let id = ids.get(mk as object);
  if (id === undefined) ids.set(mk as object, (id = nextId++));
  return mix(SEED ^ Math.imul(id, 0x9e3779b1));
}
