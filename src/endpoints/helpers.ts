/**
 * Small helpers scripts need and cannot write in Starlark: `uuid4()`, `hash.sha256` /
 * `hash.hmac_sha256` (hex), `base64` and `url` encoding. Pure functions of their arguments
 * (uuid4 aside): no file system, network or clock. Work proportional to the input is charged
 * as steps, so a loop over big inputs still meets the step budget.
 *
 * @example (Starlark) hash.hmac_sha256("key", req.body) == req.headers["x-signature"]
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import {
  asBool, asString, Builtin, Bytes, Dict, dictEntries, dictSet, Module, params, positional, StarlarkError, typeName,
  type Kwargs, type Thread, type Value,
} from '../starlark/index.ts';

/** A str (as UTF-8) or bytes argument as a Buffer. */
function data(fn: string, param: string, v: Value | undefined): Buffer {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (v instanceof Bytes) return Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength);
  throw new StarlarkError(`${fn}: for parameter ${param}: got ${v === undefined ? 'nothing' : typeName(v)}, want string or bytes`);
}

function charge(thread: Thread, bytes: number): void {
  thread.step(1 + (bytes >> 6));
}

const HMAC = params('hash.hmac_sha256', 'key', 'message');

export const hashModule = new Module('hash', {
  sha256: new Builtin('hash.sha256', (thread, args, kwargs) => {
    positional('hash.sha256', args, kwargs, 1, 1);
    const input = data('hash.sha256', 'data', args[0]);
    charge(thread, input.length);
    return createHash('sha256').update(input).digest('hex');
  }),
  hmac_sha256: new Builtin('hash.hmac_sha256', (thread, args, kwargs) => {
    const [key, message] = HMAC.unpack(args, kwargs);
    const input = data('hash.hmac_sha256', 'message', message);
    charge(thread, input.length);
    return createHmac('sha256', data('hash.hmac_sha256', 'key', key)).update(input).digest('hex');
  }),
});

const ENCODE = params('base64.encode', 'data', 'urlsafe?');
const DECODE = params('base64.decode', 's', 'urlsafe?');
const STANDARD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URLSAFE = /^[A-Za-z0-9_-]*$/;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBase64(fn: string, args: Value[], kwargs: Kwargs | null, thread: Thread): Buffer {
  const [s, urlsafe] = DECODE.unpack(args, kwargs);
  const text = asString(fn, 's', s!);
  charge(thread, text.length);
  const safe = urlsafe !== undefined && asBool(fn, 'urlsafe', urlsafe);
  if (safe ? !URLSAFE.test(text) || text.length % 4 === 1 : !STANDARD.test(text)) {
    throw new StarlarkError(`${fn}: not valid ${safe ? 'URL-safe ' : ''}base64`);
  }
  return Buffer.from(text, safe ? 'base64url' : 'base64');
}

export const base64Module = new Module('base64', {
  encode: new Builtin('base64.encode', (thread, args, kwargs) => {
    const [x, urlsafe] = ENCODE.unpack(args, kwargs);
    const input = data('base64.encode', 'data', x);
    charge(thread, input.length);
    return input.toString(urlsafe !== undefined && asBool('base64.encode', 'urlsafe', urlsafe) ? 'base64url' : 'base64');
  }),
  decode: new Builtin('base64.decode', (thread, args, kwargs) => {
    const bytes = decodeBase64('base64.decode', args, kwargs, thread);
    try {
      return fatalUtf8.decode(bytes);
    } catch {
      throw new StarlarkError('base64.decode: the decoded data is not UTF-8 text; use base64.decode_bytes');
    }
  }),
  decode_bytes: new Builtin('base64.decode_bytes', (thread, args, kwargs) => new Bytes(new Uint8Array(decodeBase64('base64.decode_bytes', args, kwargs, thread)))),
});

const QUOTE = params('url.quote', 's', 'safe?');
/** Characters never escaped by quote(), as in Python's urllib.parse.quote. */
const ALWAYS_SAFE = /[A-Za-z0-9_.~-]/;

function quote(text: string, safe: string): string {
  let out = '';
  for (const ch of text) {
    if (ALWAYS_SAFE.test(ch) || (ch.length === 1 && safe.includes(ch))) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function unquote(fn: string, text: string, plusIsSpace: boolean): string {
  const spaced = plusIsSpace ? text.replaceAll('+', ' ') : text;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new StarlarkError(`${fn}: malformed %-escape in "${text.slice(0, 80)}"`);
  }
}

/** `a=1&b=x+y` → dict (form encoding: `+` is a space; a repeated key keeps its first value). */
export function parseQuery(thread: Thread, text: string, fn = 'url.parse_query'): Dict {
  const out = new Dict();
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = unquote(fn, eq < 0 ? part : part.slice(0, eq), true);
    if (out.has(key)) continue;
    dictSet(thread, out, key, unquote(fn, eq < 0 ? '' : part.slice(eq + 1), true));
  }
  return out;
}

export const urlModule = new Module('url', {
  quote: new Builtin('url.quote', (thread, args, kwargs) => {
    const [s, safe] = QUOTE.unpack(args, kwargs);
    const text = asString('url.quote', 's', s!);
    charge(thread, text.length);
    return quote(text, safe === undefined ? '/' : asString('url.quote', 'safe', safe));
  }),
  unquote: new Builtin('url.unquote', (thread, args, kwargs) => {
    positional('url.unquote', args, kwargs, 1, 1);
    const text = asString('url.unquote', 's', args[0]!);
    charge(thread, text.length);
    return unquote('url.unquote', text, false);
  }),
  parse_query: new Builtin('url.parse_query', (thread, args, kwargs) => {
    positional('url.parse_query', args, kwargs, 1, 1);
    const text = asString('url.parse_query', 's', args[0]!);
    charge(thread, text.length);
    return parseQuery(thread, text.startsWith('?') ? text.slice(1) : text);
  }),
  encode_query: new Builtin('url.encode_query', (thread, args, kwargs) => {
    positional('url.encode_query', args, kwargs, 1, 1);
    const d = args[0];
    if (!(d instanceof Dict)) throw new StarlarkError(`url.encode_query: got ${typeName(d!)}, want dict`);
    const pairs = dictEntries(d).map(([k, v]) => {
      if (typeof k !== 'string' || typeof v !== 'string') throw new StarlarkError('url.encode_query: keys and values must be strings');
      return `${quote(k, '')}=${quote(v, '')}`;
    });
    charge(thread, pairs.length);
    return pairs.join('&');
  }),
});

export const uuid4 = new Builtin('uuid4', (_thread, args, kwargs) => {
  positional('uuid4', args, kwargs, 0, 0);
  return randomUUID();
});
