/**
 * What `handle(req)` may return, and the HTTP response made of it: a string (text/plain), a
 * dict or list (JSON), None (204), `response(status=, headers=, body=, json=)` or
 * `redirect(url, status=302)`.
 *
 * Headers are checked when the script sets them (a mistake is a script error at that line):
 * valid names, no CR/LF or other control characters, no hop-by-hop headers, no
 * Content-Length (computed), no Set-Cookie (a script must not forge or fixate WCE sessions on
 * the shared origin), and none of the security headers WCE sets on tenant content (the
 * sandbox CSP is put back after the handler anyway; refusing says so at once).
 *
 * @example (Starlark) return response(status=201, headers={"location": "/api/posts/7"}, json={"id": 7})
 */
import {
  asInt, asString, Builtin, Dict, dictEntries, List, params, StarlarkError, Tuple, typeName,
  type HostValue, type Value,
} from '../starlark/index.ts';
import { jsonText } from './json-text.ts';

export interface HttpResult { status: number; headers: Record<string, string>; body: string }

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
/** What Node accepts in a header value: Latin-1 without control characters (tab allowed). */
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
const MAX_HEADERS = 64;
const MAX_VALUE_LENGTH = 8192;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Headers WCE sets on every tenant response (src/server/plugins/headers.ts, "tenant"). */
export const WCE_MANAGED_HEADERS: ReadonlySet<string> = new Set([
  'content-security-policy', 'content-security-policy-report-only', 'x-frame-options', 'x-content-type-options',
  'cross-origin-opener-policy', 'cross-origin-resource-policy', 'cross-origin-embedder-policy', 'origin-agent-cluster',
  'referrer-policy', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies',
  'x-xss-protection', 'permissions-policy', 'strict-transport-security', 'x-request-id',
]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
export const TEXT = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** Why a script may not send header `name`, or null. */
export function headerNameProblem(name: string): string | null {
  if (!TOKEN.test(name)) return `"${name.slice(0, 60)}" is not a valid header name`;
  const lower = name.toLowerCase();
  if (lower === 'set-cookie' || lower === 'set-cookie2') return 'Set-Cookie is not allowed: cookies on this origin belong to WCE\'s sessions';
  if (lower === 'content-length') return 'Content-Length is computed by WCE';
  if (HOP_BY_HOP.has(lower)) return `${lower} is a hop-by-hop header and cannot be set`;
  if (WCE_MANAGED_HEADERS.has(lower)) return `${lower} is set by WCE on every endpoint response and cannot be changed`;
  // CORS is the cenv's setting, applied by WCE (src/server/plugins/cors.ts); a script must not widen it.
  if (lower.startsWith('access-control-')) return `${lower} is set by WCE from the cenv's cors_allowed_origins setting`;
  return null;
}

function checkedHeaders(fn: string, value: Value | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (value === undefined || value === null) return out;
  if (!(value instanceof Dict)) throw new StarlarkError(`${fn}: headers must be a dict, got ${typeName(value)}`);
  const entries = dictEntries(value);
  if (entries.length > MAX_HEADERS) throw new StarlarkError(`${fn}: at most ${MAX_HEADERS} headers`);
  for (const [k, v] of entries) {
    const name = asString(fn, 'headers key', k);
    const problem = headerNameProblem(name);
    if (problem) throw new StarlarkError(`${fn}: ${problem}`);
    const text = typeof v === 'number' ? String(v) : asString(fn, `headers["${name}"]`, v);
    if (text.length > MAX_VALUE_LENGTH || BAD_VALUE_CHAR.test(text)) {
      throw new StarlarkError(`${fn}: header ${name}: values must be Latin-1 text of at most ${MAX_VALUE_LENGTH} characters without CR, LF or other control characters`);
    }
    const lower = name.toLowerCase();
    if (lower in out) throw new StarlarkError(`${fn}: header ${lower} is given twice`);
    out[lower] = text;
  }
  return out;
}

/** The value of `response(...)` and `redirect(...)`: a finished response. */
export class ScriptResponse implements HostValue {
  readonly hostType = 'response';
  readonly result: HttpResult;
  constructor(result: HttpResult) {
    this.result = result;
  }
  repr(): string {
    return `<response ${this.result.status}>`;
  }
}

const RESPONSE = params('response', 'status?', 'headers?', 'body?', 'json?');
const REDIRECT = params('redirect', 'url', 'status?');

/** `response()` needs the byte bound of a reply when it encodes `json=`. */
export function responseBuiltins(maxBytes: number): { response: Builtin; redirect: Builtin } {
  const response = new Builtin('response', (_thread, args, kwargs) => {
    const [status, headers, body, json] = RESPONSE.unpack(args, kwargs);
    const code = status === undefined ? 200 : asInt('response', 'status', status);
    if (code < 200 || code > 599) throw new StarlarkError(`response: status must be from 200 to 599, got ${code}`);
    const out = checkedHeaders('response', headers);
    const hasBody = body !== undefined && body !== null;
    const hasJson = json !== undefined && json !== null;
    if (hasBody && hasJson) throw new StarlarkError('response: give body= or json=, not both');
    let text = '';
    if (hasJson) {
      text = jsonText(json, maxBytes);
      out['content-type'] ??= JSON_TYPE;
    } else if (hasBody) {
      text = asString('response', 'body', body);
      out['content-type'] ??= TEXT;
    }
    if ((code === 204 || code === 304) && text !== '') throw new StarlarkError(`response: a ${code} response has no body`);
    return new ScriptResponse({ status: code, headers: out, body: text });
  });
  const redirect = new Builtin('redirect', (_thread, args, kwargs) => {
    const [url, status] = REDIRECT.unpack(args, kwargs);
    const target = asString('redirect', 'url', url!);
    const code = status === undefined ? 302 : asInt('redirect', 'status', status);
    if (!REDIRECTS.has(code)) throw new StarlarkError(`redirect: status must be one of ${[...REDIRECTS].join(', ')}, got ${code}`);
    if (target === '' || target.length > MAX_VALUE_LENGTH || BAD_VALUE_CHAR.test(target)) {
      throw new StarlarkError('redirect: the url must be non-empty Latin-1 text (percent-encode the rest) without CR, LF or other control characters');
    }
    return new ScriptResponse({ status: code, headers: { location: target }, body: '' });
  });
  return { response, redirect };
}

/**
 * The HTTP response for what `handle` returned; a StarlarkError for anything else.
 * @example toHttpResult('hi', max) // { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hi' }
 */
export function toHttpResult(value: Value, maxBytes: number): HttpResult {
  if (value === null) return { status: 204, headers: {}, body: '' };
  if (typeof value === 'string') return { status: 200, headers: { 'content-type': TEXT }, body: value };
  if (value instanceof Dict || value instanceof List || value instanceof Tuple) {
    return { status: 200, headers: { 'content-type': JSON_TYPE }, body: jsonText(value, maxBytes) };
  }
  if (value instanceof ScriptResponse) return value.result;
  throw new StarlarkError(`handle returned ${typeName(value)}; return a string, dict, list, None, response(...) or redirect(...)`);
}
