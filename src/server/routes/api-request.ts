/**
 * The pieces of an HTTP request a script sees as `req`, taken from a Fastify request: the
 * path below `/{cenv}/api`, the query (first value of each key), the headers without
 * credentials, the body as text, and the caller. Shared by the endpoint route and the
 * editor's test run.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.ts';
import { CSRF_HEADER } from '../../auth/csrf.ts';
import type { ScriptRequest } from '../../sandbox/protocol.ts';

/** Headers a script never sees: credentials (and the CSRF token derived from the session). */
const HIDDEN_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization', CSRF_HEADER]);
const MAX_QUERY_KEYS = 256;

/**
 * What follows `/{cenv}/api` in the request's path, still %-encoded ('' for the root).
 * @example apiPath('/blog/api/posts/1?x=2') // '/posts/1'
 */
export function apiPath(url: string): string {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  return pathname.slice(pathname.indexOf('/', 1) + '/api'.length);
}

/** `?a=1&a=2&b` → { a: '1', b: '' } (a repeated key keeps its first value). */
export function queryOf(search: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  let count = 0;
  for (const [key, value] of new URLSearchParams(search)) {
    if (key in out) continue;
    if (++count > MAX_QUERY_KEYS) break;
    out[key] = value;
  }
  return out;
}

/** Lower-case request headers without credentials; repeated ones joined with ", ". */
export function visibleHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HIDDEN_HEADERS.has(lower)) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** `req.user`: null for anonymous callers. */
export function scriptUser(principal: Principal): ScriptRequest['user'] {
  return principal.role === 'anonymous' || principal.userId === null
    ? null
    : { id: principal.userId, username: principal.username ?? '', role: principal.role };
}

/** The `req` of an endpoint call. */
export function scriptRequest(request: FastifyRequest, path: string, params: Record<string, string>): ScriptRequest {
  const q = request.url.indexOf('?');
  return {
    method: request.method,
    path: path === '' ? '/' : path,
    params: { ...params },
    query: q < 0 ? {} : queryOf(request.url.slice(q + 1)),
    headers: visibleHeaders(request.headers),
    body: typeof request.body === 'string' ? request.body : '',
    user: scriptUser(request.caller.principal),
  };
}
