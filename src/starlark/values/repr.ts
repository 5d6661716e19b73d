/** str() and repr() of every value. */
import { formatFloat } from './float.ts';
import type { Thread } from './thread.ts';
import { decodeUtf8, utf8SeqLen } from './utf8.ts';
import { isHost, typeName } from './kinds.ts';
import { Builtin, Bytes, Dict, Float, List, Module, Range, StarSet, StringIter, Tuple, type Value } from './value.ts';

const ESCAPES: Record<number, string> = {
  7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\',
};

function hex2(c: number): string {
  return (c < 16 ? '\\x0' : '\\x') + c.toString(16);
}

/** Printable as in Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols, ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
/** Printable ASCII other than quote and backslash: needs no escaping at all. */
const PLAIN = /^[^"\\\x00-\x1f\x7f-\uffff]*$/;

/** Escape for one code point: \n-style, \xNN, \uNNNN or \UNNNNNNNN. */
function escapeCodePoint(ch: string, c: number): string {
  const esc = ESCAPES[c];
  if (esc !== undefined) return esc;
  if (PRINTABLE.test(ch)) return ch;
  if (c < 0x80) return hex2(c);
  if (c <= 0xffff) return '\\u' + c.toString(16).padStart(4, '0');
  return '\\U' + c.toString(16).padStart(8, '0');
}

/** Double-quoted string literal with Starlark escapes (printable non-ASCII text kept as is). */
export function quote(s: string): string {
  if (PLAIN.test(s)) return '"' + s + '"';
  let out = '"';
  for (const ch of s) out += escapeCodePoint(ch, ch.codePointAt(0)!);
  return out + '"';
}

/** b"..." literal: valid printable UTF-8 text as is, other bytes as \xNN. */
export function quoteBytes(data: Uint8Array): string {
  let out = 'b"';
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c < 0x80) {
      out += escapeCodePoint(String.fromCharCode(c), c);
      continue;
    }
    const n = utf8SeqLen(data, i);
    if (n === 0) {
      out += hex2(c);
      continue;
    }
    const ch = decodeUtf8(data.subarray(i, i + n));
    out += escapeCodePoint(ch, ch.codePointAt(0)!);
    i += n - 1;
  }
  return out + '"';
}

/** str(v): strings unquoted, bytes decoded as UTF-8, everything else as repr. */
export function str(v: Value, thread?: Thread): string {
  if (typeof v === 'string') return v;
  return v instanceof Bytes ? decodeUtf8(v.data) : repr(v, thread);
}

/**
 * repr(v). Cyclic lists/dicts print as [...] / {...}. With a thread, the
 * work is charged as steps and the output is bounded by maxStringLength as
 * it grows (a list holding the same big list 1000 times prints 1000 copies).
 */
export function repr(v: Value, thread?: Thread): string {
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
  const p = new Printer(thread ?? null);
  p.object(v);
  return p.out;
}

/** Accumulates a repr in one string; `seen` holds the containers being printed. */
class Printer {
  out = '';
  private readonly seen: object[] = [];
  private readonly thread: Thread | null;
  constructor(thread: Thread | null) {
    this.thread = thread;
  }

  value(v: Value): void {
    if (typeof v === 'object' && v !== null) this.object(v);
    else this.out += repr(v);
  }

  private seq(elems: readonly Value[], open: string, close: string): void {
    const t = this.thread;
    if (t !== null) {
      t.step(elems.length);
      if (this.out.length > t.limits.maxStringLength) t.checkString(this.out.length);
    }
    this.out += open;
    for (let i = 0; i < elems.length; i++) {
      if (i > 0) this.out += ', ';
      this.value(elems[i]!);
    }
    this.out += close;
  }

  object(v: Value & object): void {
    if (v instanceof List || v instanceof Dict || v instanceof StarSet) {
      if (this.seen.includes(v)) {
        this.out += v instanceof List ? '[...]' : '{...}';
        return;
      }
      this.seen.push(v);
      if (v instanceof List) this.seq(v.elems, '[', ']');
      else if (v instanceof StarSet) this.seq(Array.from(v.keys(), (mk) => v.origKey(mk)), 'set([', '])');
      else this.dict(v);
      this.seen.pop();
    } else if (v instanceof Tuple) {
      this.seq(v.elems, '(', v.elems.length === 1 ? ',)' : ')');
    } else {
      this.out += leafRepr(v);
    }
  }

  private dict(d: Dict): void {
    this.thread?.step(d.size);
    this.out += '{';
    let first = true;
    for (const [mk, v] of d.entries()) {
      if (!first) this.out += ', ';
      first = false;
      this.value(d.origKey(mk));
      this.out += ': ';
      this.value(v);
    }
    this.out += '}';
  }
}

/** repr of a non-container object. */
function leafRepr(v: Value & object): string {
  if (v instanceof Float) return formatFloat(v.value);
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
