/** Set algebra (|, &, -, ^ on sets) and dict union (dict | dict). */
import { tableSet } from './collections.ts';
import type { Thread } from './thread.ts';
import { Dict, StarSet } from './value.ts';

/** A new set with the entries of `s`. */
export function copySet(s: StarSet): StarSet {
  const out = new StarSet();
  out.floatKeys = s.floatKeys;
  for (const [k, e] of s.map) out.map.set(k, { k: e.k, v: null });
  return out;
}

export function setUnion(thread: Thread, x: StarSet, y: StarSet): StarSet {
  const out = copySet(x);
  for (const e of y.map.values()) tableSet(thread, out, e.k, null);
  return out;
}

export function setIntersection(x: StarSet, y: StarSet): StarSet {
  const out = new StarSet();
  out.floatKeys = x.floatKeys;
  for (const [k, e] of x.map) if (y.map.has(k)) out.map.set(k, { k: e.k, v: null });
  return out;
}

export function setDifference(x: StarSet, y: StarSet): StarSet {
  const out = new StarSet();
  out.floatKeys = x.floatKeys;
  for (const [k, e] of x.map) if (!y.map.has(k)) out.map.set(k, { k: e.k, v: null });
  return out;
}

export function setSymmetricDifference(thread: Thread, x: StarSet, y: StarSet): StarSet {
  const out = setDifference(x, y);
  for (const [k, e] of y.map) if (!x.map.has(k)) tableSet(thread, out, e.k, null);
  return out;
}

/** x | y for dicts: a new dict, y's values winning. */
export function dictUnion(thread: Thread, x: Dict, y: Dict): Dict {
  const out = new Dict();
  out.floatKeys = x.floatKeys;
  for (const [k, e] of x.map) out.map.set(k, { k: e.k, v: e.v });
  for (const e of y.map.values()) tableSet(thread, out, e.k, e.v);
  return out;
}
