/**
 * A per-thread cache of hash() results for long strings. CPython stores a
 * string's hash in the string object, so hashing the same long string again
 * costs nothing there; a JS string cannot carry a field, and Java's
 * String.hashCode (the value hash() must return) is a loop over every code
 * unit. The cache is direct-mapped: a slot is chosen from the length and a
 * few sampled code units, and a hit is confirmed with `===` (a pointer
 * comparison when it is the same string, a memcmp otherwise — both far
 * cheaper than the loop). A miss recomputes and replaces the slot, so the
 * answer is always the hash of the string's content. It lives on the Thread,
 * so the strings it holds are released with the thread.
 */
import { javaStringHash } from './hashing.ts';
import type { Thread } from './thread.ts';

/** Shorter strings are hashed directly: the loop is then as cheap as a probe. */
export const CACHED_HASH_MIN_LENGTH = 64;
/** Sets of WAYS slots each: at most SETS * WAYS long strings are kept alive by one thread. */
const SETS = 256;
const WAYS = 4;

/** A 32-bit tag of s from its length and eight sampled code units (cheap; not a hash of the content). */
function tagOf(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  h = Math.imul(h ^ s.charCodeAt(0), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(1), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n >> 2), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n >> 1), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt((3 * n) >> 2), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n - 3), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n - 2), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(n - 1), 0x01000193);
  // murmur3's finaliser: every sampled bit reaches the high bits that choose the set.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Remembers the hashes of recently hashed long strings. */
export class StringHashCache {
  private readonly keys: Array<string | null> = new Array<string | null>(SETS * WAYS).fill(null);
  /** Per slot: the key's tag (compared before the string) and its hash. */
  private readonly tags = new Int32Array(SETS * WAYS);
  private readonly hashes = new Int32Array(SETS * WAYS);
  /** Per set: the way replaced next (round robin). */
  private readonly victim = new Uint8Array(SETS);

  /**
   * javaStringHash(s) for a string of at least CACHED_HASH_MIN_LENGTH code
   * units; computing it (a miss) charges the thread one step per 64.
   *
   * @example
   *   const c = new StringHashCache();
   *   c.hash(thread, long) === javaStringHash(long); // true; the second call finds it
   */
  hash(thread: Thread, s: string): number {
    const tag = tagOf(s);
    const set = (tag >>> 24) * WAYS;
    for (let j = set; j < set + WAYS; j++) {
      if (this.tags[j] === tag && this.keys[j] === s) return this.hashes[j]!;
    }
    thread.step(s.length >> 6);
    const h = javaStringHash(s);
    const j = set + this.victim[set / WAYS]!;
    this.victim[set / WAYS] = (this.victim[set / WAYS]! + 1) % WAYS;
    this.keys[j] = s;
    this.tags[j] = tag;
    this.hashes[j] = h;
    return h;
  }
}
