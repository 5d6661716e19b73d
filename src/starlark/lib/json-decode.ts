/**
 * JSON text to Starlark values: ints stay exact (bigints), `1.0` stays a
 * float, and errors match starlark-go ("at offset 4, unexpected character 'f'
 * after value"). The fast path is json-native.ts; the hand-written parser here
 * decides everything it declines, errors included.
 */
import { StarlarkError } from '../values/errors.ts';
import { norm } from '../values/int.ts';
import { Dict, Float, List, type Value } from '../values/value.ts';
import { decodeNative, JsonSyntaxError, MAX_DEPTH, setStringKey } from './json-native.ts';

export { JsonSyntaxError };

const WS = new Uint8Array(128);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;

function quoteChar(c: string): string {
  return c === "'" ? "'\\''" : `'${c}'`;
}

/**
 * Parses one JSON document. Throws JsonSyntaxError. Fast path: the native
 * JSON.parse, then a conversion guided by a scan of the number tokens
 * (which ones are floats or too big for a double); the hand-written parser
 * below handles what that cannot (errors, integer-like or duplicate keys).
 */
export function decodeJson(s: string): Value {
  const fast = decodeNative(s);
  return fast !== undefined ? fast : decodeSlow(s);
}

/** The hand-written parser: exact error messages with offsets. */
function decodeSlow(s: string): Value {
  let i = 0;
  const n = s.length;
  const failAt = (msg: string): never => {
    throw new JsonSyntaxError(i, msg);
  };
  const skip = (): boolean => {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c >= 128 || WS[c] === 0) return true;
      i++;
    }
    return false;
  };

  const parseString = (): string => {
    i++; // opening quote
    const start = i;
    // Fast path: a string without escapes is a plain slice.
    let k = i;
    let c = 0;
    while (k < n && (c = s.charCodeAt(k)) !== 0x22 && c !== 0x5c && c >= 0x20) k++;
    if (k < n && c === 0x22) {
      i = k + 1;
      return s.slice(start, k);
    }
    i = k;
    let out = '';
    let chunk = start;
    for (;;) {
      if (i >= n) failAt('unclosed string literal');
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) failAt('invalid character in string literal');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += s.slice(chunk, i);
      const e = s[i + 1];
      const simple = e === undefined ? undefined : ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
        out += String.fromCharCode(Number.parseInt(s.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        failAt(`invalid escape sequence \`\\${e ?? ''}\` in string`);
      }
      chunk = i;
    }
    out += s.slice(chunk, i);
    i++;
    return out;
  };

  const parseNumber = (): Value => {
    const start = i;
    let isFloat = false;
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x30 && c <= 0x39) continue;
      if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) isFloat = true;
      else break;
    }
    const num = s.slice(start, i);
    const digits = num[0] === '-' ? num.slice(1) : num;
    const bad = (): never => failAt(`invalid number: ${num}`);
    if (digits === '' || (digits[0] === '0' && digits.length > 1 && digits[1]! >= '0' && digits[1]! <= '9')) bad();
    if (isFloat) {
      if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(num)) bad();
      const f = Number(num);
      return Number.isFinite(f) ? new Float(f) : bad(); // out of float range, as Go's ParseFloat

    }
    if (!/^-?\d+$/.test(num)) bad();
    return num.length < 16 ? Number(num) + 0 : norm(BigInt(num));
  };

  let depth = 0;
  const parse = (): Value => {
    if (!skip()) failAt('unexpected end of file');
    const c = s[i]!;
    switch (c) {
      case '"':
        return parseString();
      case '[': {
        if (++depth > MAX_DEPTH) failAt('nesting too deep');
        i++;
        const elems: Value[] = [];
        if (!skip()) failAt('unexpected end of file');
        if (s[i] === ']') {
          i++;
          depth--;
          return new List(elems);
        }
        for (;;) {
          elems.push(parse());
          if (!skip()) failAt('unexpected end of file');
          const d = s[i++];
          if (d === ']') return depth--, new List(elems);
          if (d !== ',') (i--), failAt(`got ${quoteChar(d!)}, want ',' or ']'`);
        }
      }
      case '{': {
        if (++depth > MAX_DEPTH) failAt('nesting too deep');
        i++;
        const dict = new Dict();
        if (!skip()) failAt('unexpected end of file');
        if (s[i] === '}') {
          i++;
          depth--;
          return dict;
        }
        for (;;) {
          if (!skip()) failAt('unexpected end of file');
          if (s[i] !== '"') failAt(`unexpected character ${quoteChar(s[i]!)}`);
          const key = parseString();
          if (!skip()) failAt('unexpected end of file');
          if (s[i] !== ':') failAt(`after object key, got ${quoteChar(s[i]!)}, want ':' `);
          i++;
          const v = parse();
          setStringKey(dict, key, v);
          if (!skip()) failAt('unexpected end of file');
          const d = s[i++];
          if (d === '}') return depth--, dict;
          if (d !== ',') (i--), failAt(`in object, got ${quoteChar(d!)}, want ',' or '}'`);
        }
      }
      case 't':
        if (s.startsWith('true', i)) return (i += 4), true;
        break;
      case 'f':
        if (s.startsWith('false', i)) return (i += 5), false;
        break;
      case 'n':
        if (s.startsWith('null', i)) return (i += 4), null;
        break;
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
    }
    return failAt(`unexpected character ${quoteChar(c)}`);
  };

  const v = parse();
  if (skip()) failAt(`unexpected character ${quoteChar(s[i]!)} after value`);
  return v;
}

const ESCAPES: Record<string, string> = Object.assign(Object.create(null), {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
});

/** decodeJson with the error turned into "json.decode: at offset N, msg". */
export function decodeOrFail(fn: string, s: string): Value {
  try {
    return decodeJson(s);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new StarlarkError(`${fn}: at offset ${e.offset}, ${e.message}`);
    throw e;
  }
}
