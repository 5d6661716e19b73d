/** String formatting: the `%` operator and str.format (spec "String interpolation"). */
import { fail } from '../values/errors.ts';
import { formatE, formatF, formatFloat } from '../values/float.ts';
import { keyOf } from '../values/hashing.ts';
import { fromFloat } from '../values/int.ts';
import { codePointString } from '../values/utf8.ts';
import { typeName } from '../values/kinds.ts';
import { repr, str } from '../values/repr.ts';
import type { Thread } from '../values/thread.ts';
import { Dict, Float, Tuple, type Kwargs, type Value } from '../values/value.ts';

/** An int operand of %d/%o/%x: ints as is, floats truncated, anything else an error. */
function intOperand(c: string, v: Value): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof Float) return fromFloat(v.value);
  if (typeof v === 'boolean') fail(`%${c} format requires integer: cannot convert bool to int`);
  return fail(`%${c} format requires integer: got ${typeName(v)}`);
}

function radix(v: number | bigint, base: number): string {
  if (base === 10) return String(v);
  const neg = v < 0;
  const s = (neg ? -v : v).toString(base);
  return neg ? '-' + s : s;
}

function floatOperand(c: string, v: Value): number {
  if (v instanceof Float) return v.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return fail(`%${c} format requires float, not ${typeName(v)}`);
}

function convert(thread: Thread, c: string, v: Value): string {
  switch (c) {
    case 's': return typeof v === 'string' ? v : str(v, thread);
    case 'r': return repr(v, thread);
    case 'd': case 'i': return radix(intOperand(c, v), 10);
    case 'o': return radix(intOperand(c, v), 8);
    case 'x': return radix(intOperand(c, v), 16);
    case 'X': return radix(intOperand(c, v), 16).toUpperCase();
    case 'e': return formatE(floatOperand(c, v));
    case 'E': return formatE(floatOperand(c, v)).toUpperCase();
    case 'f': return formatF(floatOperand(c, v));
    case 'F': return formatF(floatOperand(c, v)).toUpperCase();
    case 'g': return formatFloat(floatOperand(c, v));
    case 'G': return formatFloat(floatOperand(c, v)).toUpperCase();
    case 'c': return charOperand(v);
  }
  return fail(`unknown conversion %${c}`);
}

function charOperand(v: Value): string {
  if (typeof v === 'number') {
    if (v < 0 || v > 0x10ffff) fail(`%c format requires a valid Unicode code point, got ${v}`);
    return codePointString(v);
  }
  if (typeof v === 'string') {
    if ([...v].length !== 1) fail('%c format requires a single-character string');
    return v;
  }
  return fail(`%c format requires int or single-character string, not ${typeName(v)}`);
}

/** `format % x`: x is a tuple of operands, a dict for %(key)s, or a single operand. */
export function percentFormat(thread: Thread, format: string, x: Value): string {
  const operands = x instanceof Tuple ? x.elems : [x];
  let next = 0;
  let out = '';
  let i = 0;
  for (;;) {
    const j = format.indexOf('%', i);
    if (j < 0) break;
    out += format.slice(i, j);
    i = j + 1;
    if (i >= format.length) fail('incomplete format');
    let arg: Value | undefined;
    if (format[i] === '(') {
      const close = format.indexOf(')', i);
      if (close < 0) fail('incomplete format key');
      if (!(x instanceof Dict)) fail('format requires a mapping');
      const key = format.slice(i + 1, close);
      const v = x.get(keyOf(key));
      if (v === undefined) fail(`key not found: ${key}`);
      arg = v;
      i = close + 1;
      if (i >= format.length) fail('incomplete format');
    }
    const c = format[i++]!;
    if (c === '%') {
      out += '%';
      continue;
    }
    if (arg === undefined) {
      if (next >= operands.length) fail('not enough arguments for format string');
      arg = operands[next++]!;
    }
    out += convert(thread, c, arg);
    if (out.length > thread.limits.maxStringLength) thread.checkString(out.length);
  }
  if (!(x instanceof Dict) && next < operands.length) fail('too many arguments for format string');
  return out + format.slice(i);
}

/** str.format(*args, **kwargs) with {}, {0}, {name}, !s/!r conversions; no format specs. */
export function strFormat(thread: Thread, format: string, args: Value[], kwargs: Kwargs | null): string {
  let out = '';
  let auto: boolean | null = null;
  let next = 0;
  let i = 0;
  while (i < format.length) {
    // Literal text up to the next brace, as one slice.
    let j = i;
    while (j < format.length && format.charCodeAt(j) !== 123 && format.charCodeAt(j) !== 125) j++;
    if (j > i) {
      out += format.slice(i, j);
      i = j;
      if (i >= format.length) break;
    }
    const c = format[i]!;
    if (c === '}') {
      if (format[i + 1] !== '}') fail("format: single '}' in format");
      out += '}';
      i += 2;
      continue;
    }
    if (format[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const close = format.indexOf('}', i);
    if (close < 0) fail("format: unmatched '{' in format");
    const field = format.slice(i + 1, close);
    i = close + 1;
    const [name, conv] = parseField(field);
    let v: Value;
    if (name === '') {
      if (auto === false) fail('format: cannot switch from manual field specification to automatic field numbering');
      auto = true;
      if (next >= args.length) fail('format: tuple index out of range');
      v = args[next++]!;
    } else if (/^\d+$/.test(name)) {
      if (auto === true) fail('format: cannot switch from automatic field numbering to manual field specification');
      auto = false;
      const n = Number(name);
      if (n >= args.length) fail('format: tuple index out of range');
      v = args[n]!;
    } else {
      v = keyword(name, kwargs);
    }
    out += conv === 'r' ? repr(v, thread) : str(v, thread);
    if (out.length > thread.limits.maxStringLength) thread.checkString(out.length);
  }
  return out;
}

/** Splits "name!conv:spec", rejecting what Starlark does not support. */
function parseField(field: string): [string, string] {
  let name = field;
  let conv = 's';
  const colon = field.indexOf(':');
  const bang = field.indexOf('!');
  if (bang >= 0 && (colon < 0 || bang < colon)) {
    name = field.slice(0, bang);
    conv = colon < 0 ? field.slice(bang + 1) : field.slice(bang + 1, colon);
    if (conv !== 's' && conv !== 'r') fail(`format: unknown conversion "!${conv}"`);
  } else if (colon >= 0) {
    name = field.slice(0, colon);
  }
  if (colon >= 0 && colon + 1 < field.length) {
    fail(`format spec features not supported in replacement fields: ${field.slice(colon + 1)}`);
  }
  if (name.includes('{')) fail('format: nested replacement fields not supported');
  return [name, conv];
}

function keyword(name: string, kwargs: Kwargs | null): Value {
  if (name.includes('.')) fail(`format: attribute syntax x.y is not supported in replacement fields: ${name}`);
  if (name.includes('[')) fail(`format: element syntax a[i] is not supported in replacement fields: ${name}`);
  if (kwargs !== null) for (const [k, v] of kwargs) if (k === name) return v;
  return fail(`format: keyword ${name} not found`);
}
