/**
 * str.replace and str.count. Both count occurrences with an indexOf loop
 * (splitting the string only to count its parts allocated every part), and
 * replace counts only when the result could exceed the string length limit.
 * The replacement text is literal (JS's replaceAll, besides being slower,
 * would expand `$&`, `$1` and `$$` in it).
 */
import type { Thread } from '../values/thread.ts';
import type { BuiltinFn, Kwargs, Value } from '../values/value.ts';
import { asInt, asString, params, positional } from './args.ts';

/** Non-overlapping occurrences of sub (non-empty) in s[lo:hi], at most `max`. */
function occurrences(s: string, sub: string, lo: number, hi: number, max = Infinity): number {
  let n = 0;
  for (let i = s.indexOf(sub, lo); i >= 0 && i + sub.length <= hi && n < max; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/**
 * s.replace(old, new[, count]): checks the string length limit before
 * building the result; one step per 16 code units of s.
 *
 * @example
 *   replace(thread, ["a", "$&"], null, "banana") // "b$&n$&n$&"
 */
export function replace(thread: Thread, args: Value[], kwargs: Kwargs | null, recv: Value): Value {
  if (args.length < 2 || args.length > 3 || kwargs !== null) positional('replace', args, kwargs, 2, 3);
  const s = recv as string;
  const old = asString('replace', 'old', args[0]!);
  const rep = asString('replace', 'new', args[1]!);
  let count = args[2] === undefined ? -1 : asInt('replace', 'count', args[2]);
  thread.step(s.length >> 4);
  const growth = rep.length - old.length;
  if (growth > 0) {
    // At most this many replacements; count them only when that many could break the limit.
    let n = old === '' ? s.length + 1 : Math.floor(s.length / old.length);
    if (count >= 0) n = Math.min(n, count);
    if (s.length + n * growth > thread.limits.maxStringLength && old !== '') n = occurrences(s, old, 0, s.length, n);
    thread.checkString(s.length + n * growth);
  }
  // A loop of slices: V8's replaceAll is about twice as slow for short and long strings alike.
  if (count < 0) count = s.length + 1;
  let out = '';
  let i = 0;
  while (count-- > 0) {
    const j = old === '' ? (i <= s.length ? i : -1) : s.indexOf(old, i);
    if (j < 0) break;
    out += s.slice(i, j) + rep;
    if (old === '') {
      if (j < s.length) out += s[j];
      i = j + 1;
    } else i = j + old.length;
  }
  return out + s.slice(i);
}

/** Clamps optional start/end arguments to [0, n] as slice indices do. */
export function span(fn: string, n: number, start: Value | undefined, end: Value | undefined): [number, number] {
  const clamp = (v: Value | undefined, param: string, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    let i = asInt(fn, param, v);
    if (i < 0) i += n;
    return i < 0 ? 0 : i > n ? n : i;
  };
  return [clamp(start, 'start', 0), clamp(end, 'end', n)];
}

const COUNT = params('count', 'sub', 'start?', 'end?');

/** s.count(sub[, start[, end]]): one step per 16 code units searched. */
export const count: BuiltinFn = (thread, args, kwargs, recv) => {
  const s = recv as string;
  const a = COUNT.unpack(args, kwargs);
  const sub = asString('count', 'sub', a[0]!);
  const [lo, hi] = span('count', s.length, a[1], a[2]);
  thread.step((hi - lo) >> 4);
  if (lo > hi) return 0;
  return sub === '' ? hi - lo + 1 : occurrences(s, sub, lo, hi);
};
