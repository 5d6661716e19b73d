/** str.format (spec "String interpolation"); the `%` operator is values/percent.ts. */
import { fail } from '../values/errors.ts';
import { repr, str } from '../values/repr.ts';
import type { Thread } from '../values/thread.ts';
import type { Kwargs, Value } from '../values/value.ts';

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
