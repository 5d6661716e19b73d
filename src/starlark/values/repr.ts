/** str() and repr() of every value. */
import { formatFloat } from './float.ts';
import { isHost, typeName } from './kinds.ts';
import { Builtin, Bytes, Dict, Float, List, Module, Range, StarSet, StringIter, Tuple, type Value } from './value.ts';

const ESCAPES: Record<number, string> = {
  7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\',
};

function hex2(c: number): string {
  return (c < 16 ? '\\x0' : '\\x') + c.toString(16);
}

/** Double-quoted string literal with Starlark escapes (non-ASCII printable text kept as is). */
export function quote(s: string): string {
  // Fast path: nothing to escape.
  if (!/["\\\x00-\x1f\x7f\ud800-\udfff]/.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const esc = ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (c < 0x20 || c === 0x7f) out += hex2(c);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += s[i]! + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\u' + c.toString(16);
    else out += s[i]!;
  }
  return out + '"';
}

/** b"..." literal: printable ASCII as is, everything else as \xNN. */
export function quoteBytes(data: Uint8Array): string {
  let out = 'b"';
  for (const c of data) {
    const esc = ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (c < 0x20 || c >= 0x7f) out += hex2(c);
    else out += String.fromCharCode(c);
  }
  return out + '"';
}

/** str(v): strings unquoted, everything else as repr. */
export function str(v: Value): string {
  return typeof v === 'string' ? v : repr(v);
}

/** repr(v). Cyclic lists/dicts print as [...] / {...}. */
export function repr(v: Value): string {
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'number':
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 'True' : 'False';
  }
  if (v === null) return 'None';
  return reprObject(v, []);
}

function reprSeq(elems: Value[], seen: object[]): string {
  let s = '';
  for (let i = 0; i < elems.length; i++) {
    if (i > 0) s += ', ';
    const e = elems[i]!;
    s += typeof e === 'object' && e !== null ? reprObject(e, seen) : repr(e);
  }
  return s;
}

function reprObject(v: Value & object, seen: object[]): string {
  if (v instanceof Float) return formatFloat(v.value);
  if (v instanceof List || v instanceof Dict || v instanceof StarSet) {
    if (seen.includes(v)) return v instanceof List ? '[...]' : '{...}';
    seen.push(v);
    try {
      if (v instanceof List) return '[' + reprSeq(v.elems, seen) + ']';
      if (v instanceof StarSet) return 'set([' + reprSeq([...v.map.values()].map((e) => e.k), seen) + '])';
      let s = '{';
      let first = true;
      for (const e of v.map.values()) {
        if (!first) s += ', ';
        first = false;
        s += reprSeq([e.k], seen) + ': ' + reprSeq([e.v], seen);
      }
      return s + '}';
    } finally {
      seen.pop();
    }
  }
  if (v instanceof Tuple) return v.elems.length === 1 ? '(' + reprSeq(v.elems, seen) + ',)' : '(' + reprSeq(v.elems, seen) + ')';
  if (v instanceof Bytes) return quoteBytes(v.data);
  if (v instanceof Range) {
    if (v.step !== 1) return `range(${v.start}, ${v.stop}, ${v.step})`;
    return v.start === 0 ? `range(${v.stop})` : `range(${v.start}, ${v.stop})`;
  }
  if (v instanceof StringIter) return (typeof v.src === 'string' ? quote(v.src) : quoteBytes(v.src.data)) + '.' + v.kind + '()';
  if (v instanceof Builtin) {
    if (v.recv === undefined) return `<built-in function ${v.name}>`;
    return `<built-in method ${v.name} of ${typeName(v.recv)} value>`;
  }
  if (v instanceof Module) return `<module "${v.name}">`;
  if (isHost(v)) return v.repr !== undefined ? v.repr() : `<${v.hostType}>`;
  return `<function ${(v as { name: string }).name}>`;
}
