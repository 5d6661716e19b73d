/**
 * Hash-table keys. A Starlark key maps to a JS Map key such that two keys are
 * the same JS key exactly when they are equal Starlark values:
 *   string -> itself (strings starting with U+0000 get one more U+0000 so
 *             they never collide with the encodings below)
 *   int    -> the number/bigint itself; bool and None -> themselves
 *   float  -> the equal int when integral (1.0 and 1 are one key), else its number
 *   tuple  -> "\u0000\u0001" + injective encoding of the elements
 *   bytes  -> "\u0000\u0002" + latin-1 text
 *   functions -> identity (the object); host values -> "\u0000\u0003" + type + hashKey(), else identity
 *   range, module, string views -> unhashable
 */
import { fail } from './errors.ts';
import { fromIntegralNumber } from './int.ts';
import { isHost, typeName } from './kinds.ts';
import { Builtin, Bytes, Dict, Float, List, StarSet, Tuple, type Value } from './value.ts';

/**
 * The escape that starts every encoded key. U+0000 rather than a non-Latin-1
 * character, so that encoded keys (tuples) of Latin-1 text stay one-byte
 * strings in V8: half the memory, faster hashing and comparison.
 */
export const ESC = '\u0000';

/** The JS Map key of v; fails for unhashable values. */
export function keyOf(v: Value): unknown {
  if (typeof v === 'string') return v.length !== 0 && v.charCodeAt(0) === 0 ? ESC + v : v;
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Float) return floatKey(v.value);
  if (v instanceof Tuple) return v.key ?? (v.key = ESC + '\u0001' + encodeTuple(v)); // immutable: encoded once
  if (v instanceof Bytes) return ESC + '\u0002' + latin1(v.data);
  if (v instanceof List || v instanceof Dict || v instanceof StarSet) fail(`unhashable type: ${typeName(v)}`);
  if (v instanceof Builtin || typeof (v as { call?: unknown }).call === 'function') return v;
  if (isHost(v)) return v.hashKey !== undefined ? ESC + '\u0003' + v.hostType + ':' + String(v.hashKey()) : v;
  return fail(`unhashable: ${typeName(v)}`);
}

function floatKey(f: number): unknown {
  return Number.isInteger(f) ? fromIntegralNumber(f) : f;
}

/** Bytes as a string of char codes 0..255 (also used for hashing and repr). */
export function latin1(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i += 8192) {
    s += String.fromCharCode(...data.subarray(i, i + 8192));
  }
  return s;
}

/** Identity ids for objects that appear inside tuple keys. */
const ids = new WeakMap<object, number>();
let nextId = 1;

function encodeTuple(t: Tuple): string {
  let s = '(';
  for (const e of t.elems) {
    const k = keyOf(e);
    switch (typeof k) {
      case 'string':
        s += 's' + k.length + ':' + k;
        break;
      case 'number':
        s += 'n' + (Number.isNaN(k) ? 'nan' : String(k)) + ';';
        break;
      case 'bigint':
        s += 'n' + k.toString() + ';';
        break;
      case 'boolean':
        s += k ? 'T' : 'F';
        break;
      default:
        if (k === null) {
          s += 'N';
        } else {
          let id = ids.get(k as object);
          if (id === undefined) ids.set(k as object, (id = nextId++));
          s += 'o' + id + ';';
        }
    }
  }
  return s + ')';
}

/** hash(x) builtin for strings: Java's String.hashCode over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** hash(x) builtin for bytes: 32-bit FNV-1a. */
export function fnv32a(data: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of data) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

/**
 * A 32-bit hash of any hashable value, consistent with equality (1 and 1.0
 * hash alike). Strings use Java's String.hashCode and bytes FNV-1a, as the
 * hash() builtin; fails "unhashable type: list" for unhashable values.
 */
export function hashValue(v: Value): number {
  if (typeof v === 'string') return javaStringHash(v);
  if (v instanceof Bytes) return fnv32a(v.data);
  const k = keyOf(v);
  if (typeof k === 'string') return javaStringHash(k);
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean' || k === null) return javaStringHash(String(k));
  // Identity-hashed objects (functions, host values without hashKey): a stable per-object id.
  let id = ids.get(k as object);
  if (id === undefined) ids.set(k as object, (id = nextId++));
  return id | 0;
}
