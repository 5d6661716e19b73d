/** Set algebra (|, &, -, ^ on sets) and dict union (dict | dict). */
import { tableSet } from './collections.ts';
import type { Thread } from './thread.ts';
import { Dict, StarSet } from './value.ts';

/** A new set with the entries of `s`. */
export function copySet(s: StarSet): StarSet {
  const out = new StarSet();
  out.copyFrom(s);
  return out;
}

export function setUnion(thread: Thread, x: StarSet, y: StarSet): StarSet {
  const out = copySet(x);
  for (const mk of y.keys()) tableSet(thread, out, y.origKey(mk), null);
  return out;
}

export function setIntersection(x: StarSet, y: StarSet): StarSet {
  const out = new StarSet();
  for (const mk of x.keys()) if (y.has(mk)) out.copyEntry(x, mk);
  return out;
}

export function setDifference(x: StarSet, y: StarSet): StarSet {
  const out = new StarSet();
  for (const mk of x.keys()) if (!y.has(mk)) out.copyEntry(x, mk);
  return out;
}

export function setSymmetricDifference(thread: Thread, x: StarSet, y: StarSet): StarSet {
  const out = setDifference(x, y);
  for (const mk of y.keys()) if (!x.has(mk)) tableSet(thread, out, y.origKey(mk), null);
  return out;
}

/** x | y for dicts: a new dict, y's values winning. */
export function dictUnion(thread: Thread, x: Dict, y: Dict): Dict {
  const out = new Dict();
  out.copyFrom(x);
  for (const [mk, v] of y.entries()) tableSet(thread, out, y.origKey(mk), v);
  return out;
}
