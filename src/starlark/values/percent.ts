/**
 * The `%` operator on strings (spec "String interpolation"): an operator,
 * so it lives with the others in values/ (arith.ts calls it); str.format is
 * builtins/format.ts.
 */
import { fail } from './errors.ts';
import { formatE, formatF, formatFloat } from './float.ts';
import { keyOf } from './hashing.ts';
import { fromFloat } from './int.ts';
import { codePointString } from './utf8.ts';
import { typeName } from './kinds.ts';
import { repr, str } from './repr.ts';
import type { Thread } from './thread.ts';
import { Dict, Float, Tuple, type Value } from './value.ts';

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
