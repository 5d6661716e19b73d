/**
 * Fast JSON decoding: the native JSON.parse, then a conversion guided by a
 * scan of the number tokens (which ones are floats, or ints too big for a
 * double). Declines (returns undefined) whatever it cannot decode exactly,
 * leaving it to the hand-written parser in json-decode.ts.
 */
import { ESC } from '../values/hashing.ts';
import { norm } from '../values/int.ts';
import { Dict, Float, List, type Value } from '../values/value.ts';

/** A decoding failure at an offset; turned into a StarlarkError by the caller. */
export class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(offset: number, msg: string) {
    super(msg);
    this.offset = offset;
  }
}

/** d[k] = v for a string key, without the generic checks (a fresh dict being built). */
export function setStringKey(d: Dict, k: string, v: Value): void {
  if (k.length !== 0 && k.charCodeAt(0) === 0) {
    // Escaped as hashing.ts keyOf does; remember the original unless a duplicate key came first.
    const mk = ESC + k;
    if (!d.has(mk)) (d.origKeys ??= new Map()).set(mk, k);
    d.set(mk, v);
  } else {
    d.set(k, v);
  }
}

/** Number tokens that are not plain safe ints, by ordinal among all number tokens. */
interface SpecialNumbers {
  ordinals: number[];
  sources: string[];
  count: number;
}

/** Whether the quote at j is escaped: preceded by an odd number of backslashes. */
function escaped(s: string, j: number): boolean {
  let k = j - 1;
  while (s.charCodeAt(k) === 0x5c) k--;
  return (j - 1 - k) % 2 === 1;
}

function scanNumbers(s: string): SpecialNumbers {
  const ordinals: number[] = [];
  const sources: string[] = [];
  let count = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string (the text is valid JSON: JSON.parse accepted it): to the next quote not escaped.
      let j = s.indexOf('"', i + 1);
      while (s.charCodeAt(j - 1) === 0x5c && escaped(s, j)) j = s.indexOf('"', j + 1);
      i = j;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      let special = false;
      for (i++; i < n; i++) {
        const d = s.charCodeAt(i);
        if (d >= 0x30 && d <= 0x39) continue;
        if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) special = true;
        else break;
      }
      if (special || i - start >= 16) {
        ordinals.push(count);
        sources.push(s.slice(start, i));
      }
      count++;
      i--;
    }
  }
  return { ordinals, sources, count };
}

/** Deepest nesting of arrays/objects accepted (as CPython's default recursion limit). */
export const MAX_DEPTH = 1000;

/** An array index-like key, which JS objects would move to the front. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

/** JSON.parse-based decoding, or undefined when the slow path must decide. */
export function decodeNative(s: string): Value | undefined {
  let tree: unknown;
  try {
    tree = JSON.parse(s);
  } catch {
    return undefined;
  }
  const nums = scanNumbers(s);
  let ordinal = 0;
  let p = 0;
  let ok = true;
  let depth = 0;
  const convert = (v: unknown): Value => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number': {
        if (nums.ordinals[p] === ordinal++) {
          const src = nums.sources[p++]!;
          if (!Number.isFinite(v)) ok = false; // 1e400: the slow path reports it
          return /[.eE]/.test(src) ? new Float(v) : norm(BigInt(src));
        }
        return v + 0;
      }
    }
    if (v === null) return null;
    // Too deep for comfort: let the hand-written parser report where.
    if (++depth > MAX_DEPTH) throw new JsonSyntaxError(0, 'nesting too deep');
    if (Array.isArray(v)) {
      // Convert in place: the array from JSON.parse becomes the list's storage (one allocation less).
      for (let i = 0; i < v.length; i++) v[i] = convert(v[i]);
      depth--;
      return new List(v as Value[]);
    }
    const d = new Dict();
    const obj = v as Record<string, unknown>;
    for (const k in obj) {
      const c0 = k.charCodeAt(0);
      if (c0 >= 0x30 && c0 <= 0x39 && INDEX_KEY.test(k)) ok = false;
      // JSON.parse's keys are unique, so the new dict needs no duplicate check.
      if (k.charCodeAt(0) !== 0) d.append(k, convert(obj[k]));
      else setStringKey(d, k, convert(obj[k]));
    }
    depth--;
    return d;
  };
  let out: Value;
  try {
    out = convert(tree);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return undefined;
    throw e;
  }
  return ok && ordinal === nums.count ? out : undefined;
}
