/**
 * Fast json.encode: mirrors the value as plain JS (objects with their keys
 * inserted in sorted order, arrays, numbers, `JSON.rawJSON` for the floats and
 * bigints whose JS text differs) and lets the native JSON.stringify write the
 * text, which is several times faster than concatenating it piece by piece.
 * Declines (returns undefined) whatever it cannot encode exactly as json.ts's
 * Encoder would, errors and cycles included; the Encoder then decides.
 */
import { formatFloat } from '../values/float.ts';
import type { Thread } from '../values/thread.ts';
import { Dict, Float, List, Tuple, type Value } from '../values/value.ts';

/** Thrown inside the mirror builder to decline; never escapes this module. */
const DECLINE = Symbol('decline');

/** Deeper than this is declined: the Encoder's exact cycle detection takes over. */
const MAX_DEPTH = 64;

/** Keys a JS object would reorder (array indices) or treat specially. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/**
 * Sorts keys (distinct strings) in UTF-16 code unit order, Starlark's string
 * order, moving vals along: insertion sort for the usual few keys.
 */
function sortByKey(keys: string[], vals: Value[]): void {
  if (keys.length > 16) {
    const order = keys.map((_k, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
    const ks = keys.slice();
    const vs = vals.slice();
    for (let i = 0; i < order.length; i++) {
      keys[i] = ks[order[i]!]!;
      vals[i] = vs[order[i]!]!;
    }
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    const v = vals[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > k; j--) {
      keys[j + 1] = keys[j]!;
      vals[j + 1] = vals[j]!;
    }
    keys[j + 1] = k;
    vals[j + 1] = v;
  }
}

class Mirror {
  /**
   * About the output length (at most 6x under it: escapes, long numbers), so
   * that a structure whose text would pass the limit, e.g. by sharing, is
   * declined early.
   */
  private size = 0;
  private readonly thread: Thread;
  private readonly maxSize: number;
  constructor(thread: Thread) {
    this.thread = thread;
    this.maxSize = thread.limits.maxStringLength;
  }

  /** Past the string limit (shared substructures can multiply the text): the Encoder reports it. */
  private checkSize(): void {
    if (this.size > this.maxSize) throw DECLINE;
  }

  value(x: Value, depth: number): unknown {
    switch (typeof x) {
      case 'string':
        // JSON.stringify escapes a lone surrogate; the Encoder writes U+FFFD (as Go does).
        if (!x.isWellFormed()) throw DECLINE;
        this.size += x.length + 2;
        return x;
      case 'number':
      case 'boolean':
        this.size += 4;
        return x;
      case 'bigint': {
        const text = x.toString();
        this.size += text.length;
        return rawJSON!(text);
      }
    }
    if (x === null) {
      this.size += 4;
      return null;
    }
    if (depth > MAX_DEPTH) throw DECLINE;
    if (x instanceof Float) {
      const v = x.value;
      if (!Number.isFinite(v)) throw DECLINE;
      const a = Math.abs(v);
      // Here JS's shortest form is formatFloat's (values/float.ts), unless the float is integral ("1.0").
      if (a >= 1e-4 && a < 1e6 && !Number.isInteger(v)) {
        this.size += 8;
        return v;
      }
      const text = formatFloat(v);
      this.size += text.length;
      return rawJSON!(text);
    }
    if (x instanceof List || x instanceof Tuple) return this.array(x.elems, depth + 1);
    if (x instanceof Dict) return this.object(x, depth + 1);
    throw DECLINE;
  }

  private array(elems: Value[], depth: number): unknown[] {
    this.thread.step(elems.length);
    const out = new Array<unknown>(elems.length);
    for (let i = 0; i < elems.length; i++) out[i] = this.value(elems[i]!, depth);
    this.size += elems.length + 2;
    this.checkSize();
    return out;
  }

  private object(d: Dict, depth: number): object {
    if (d.origKeys !== null) throw DECLINE; // keys not in canonical form: not plain strings
    const keys = d.keys() as string[];
    const vals = d.values();
    this.thread.step(keys.length);
    let sorted = true;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (typeof k !== 'string') throw DECLINE;
      if (i > 0 && k < keys[i - 1]!) sorted = false;
    }
    if (!sorted) sortByKey(keys, vals);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const c0 = k.charCodeAt(0);
      if ((c0 >= 0x30 && c0 <= 0x39 && INDEX_KEY.test(k)) || k === '__proto__' || !k.isWellFormed()) throw DECLINE;
      out[k] = this.value(vals[i]!, depth);
      this.size += k.length + 4;
    }
    this.checkSize();
    return out;
  }
}

/** The JSON text of x, or undefined when json.ts's Encoder must decide (errors, cycles, rare types). */
export function encodeNative(thread: Thread, x: Value): string | undefined {
  if (rawJSON === undefined) return undefined;
  let tree: unknown;
  try {
    tree = new Mirror(thread).value(x, 0);
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
  try {
    return JSON.stringify(tree);
  } catch (e) {
    if (e instanceof RangeError) return undefined; // beyond V8's string length: the Encoder stops at the limit
    throw e;
  }
}
