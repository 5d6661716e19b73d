/**
 * str.split and str.rsplit. Work is proportional to what is cut: with a
 * maxsplit, only the first (or last) `maxsplit` separators are searched and
 * the remainder is one slice (O(1) in V8), as CPython scans no further —
 * splitting the whole string and joining the tail back made
 * `line.split(",", 1)` linear in the line. Short strings are cut with an
 * indexOf loop (String.prototype.split goes through a runtime call that
 * costs more than the loop); long ones with no limit use the native split,
 * which is faster per part at scale.
 */
import { fail } from '../values/errors.ts';
import type { Thread } from '../values/thread.ts';
import { List, type BuiltinFn } from '../values/value.ts';
import { asInt, asString, params } from './args.ts';
import { isSpaceAt } from './string-case.ts';

/** Up to this length (and for any maxsplit) the indexOf loop beats the native split. */
const NATIVE_SPLIT_MIN_LENGTH = 4096;

/**
 * split/rsplit on whitespace runs (sep None), in one linear scan: after
 * `max` splits the remainder is kept whole (minus whitespace at the split
 * end), as Python does.
 */
export function splitSpace(s: string, max: number, fromRight: boolean): string[] {
  const out: string[] = [];
  if (!fromRight) {
    let i = 0;
    for (;;) {
      while (i < s.length && isSpaceAt(s, i)) i++;
      if (i >= s.length) return out;
      if (max >= 0 && out.length === max) {
        out.push(s.slice(i));
        return out;
      }
      const start = i;
      while (i < s.length && !isSpaceAt(s, i)) i++;
      out.push(s.slice(start, i));
    }
  }
  let j = s.length;
  for (;;) {
    while (j > 0 && isSpaceAt(s, j - 1)) j--;
    if (j <= 0) return out.reverse();
    if (max >= 0 && out.length === max) {
      out.push(s.slice(0, j));
      return out.reverse();
    }
    const end = j;
    while (j > 0 && !isSpaceAt(s, j - 1)) j--;
    out.push(s.slice(j, end));
  }
}

/**
 * s split at the first `max` occurrences of sep (all when max < 0), left to
 * right; charges one step per 16 code units scanned.
 *
 * @example
 *   splitSep(thread, "a,b,c", ",", 1) // ["a", "b,c"]
 */
export function splitSep(thread: Thread, s: string, sep: string, max: number): string[] {
  if (max < 0 && s.length >= NATIVE_SPLIT_MIN_LENGTH) {
    thread.step(s.length >> 4);
    const parts = s.split(sep);
    thread.checkList(parts.length);
    return parts;
  }
  const out: string[] = [];
  let i = 0;
  for (let j; out.length !== max && (j = s.indexOf(sep, i)) >= 0; i = j + sep.length) {
    if (out.length >= thread.limits.maxListLength) thread.checkList(out.length + 2);
    out.push(s.slice(i, j));
  }
  thread.step(i >> 4);
  out.push(s.slice(i));
  return out;
}

/** As splitSep, from the right: the last `max` occurrences (rsplit). */
export function rsplitSep(thread: Thread, s: string, sep: string, max: number): string[] {
  if (max < 0) return splitSep(thread, s, sep, max); // all cuts: the same parts either way
  const out: string[] = [];
  let end = s.length;
  // The last occurrence ending by `end`; lastIndexOf's start may be negative (searches from 0).
  for (let j; out.length !== max && end >= sep.length && (j = s.lastIndexOf(sep, end - sep.length)) >= 0; end = j) {
    if (out.length >= thread.limits.maxListLength) thread.checkList(out.length + 2);
    out.push(s.slice(j + sep.length, end));
  }
  thread.step((s.length - end) >> 4);
  out.push(s.slice(0, end));
  return out.reverse();
}

/** The split (fromRight false) or rsplit method. */
export function splitMethod(name: string, fromRight: boolean): BuiltinFn {
  const P = params(name, 'sep?', 'maxsplit?');
  return (thread, args, kwargs, recv) => {
    const s = recv as string;
    const a = P.unpack(args, kwargs);
    const max = a[1] === undefined || a[1] === null ? -1 : asInt(name, 'maxsplit', a[1]);
    if (a[0] === undefined || a[0] === null) {
      thread.step(s.length >> 4);
      return new List(splitSpace(s, max, fromRight));
    }
    const sep = asString(name, 'sep', a[0]);
    if (sep === '') fail(`${name}: empty separator`);
    return new List(fromRight ? rsplitSep(thread, s, sep, max) : splitSep(thread, s, sep, max));
  };
}
