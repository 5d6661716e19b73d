/**
 * CORS for a cenv's API, endpoints and pages, by the cenv's `cors_allowed_origins` (none by
 * default). A route opts in with `config: { cors: true }`; the cenv scope then:
 *
 * - answers a preflight (`OPTIONS` with `Access-Control-Request-Method`) for any path of the
 *   cenv itself, before credentials are read: for a listed origin and a method some opted-in
 *   route serves at that path, with exactly that origin, those methods, the request headers
 *   WCE reads (`authorization`, `content-type`, `x-csrf-token`) and credentials; for anything
 *   else with no CORS headers at all, so the browser refuses;
 * - adds `Access-Control-Allow-Origin: <the origin>` and `-Allow-Credentials: true` to every
 *   answer of an opted-in route to a listed origin, errors included (a client must be able
 *   to read its 401 or 429), and `Vary: Origin` to every answer of such a route.
 *
 * Origins are compared as exact text with the `Origin` header: no wildcards, no patterns. A
 * listed origin gets credentials; no other origin gets anything.
 *
 * @example app.post('/api/*', { config: { access: 'anonymous', kind: 'tenant', cors: true } }, handler)
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Request headers a cross-origin caller may send. */
const ALLOWED_HEADERS = 'authorization, content-type, x-csrf-token';
/** Response headers a cross-origin caller may read besides the simple ones. */
const EXPOSED_HEADERS = 'x-request-id, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy, content-disposition';
/** How long a browser may cache a preflight's answer (seconds). */
const MAX_AGE = '600';

interface OptedIn { pattern: RegExp; methods: Set<string> }

/** The opted-in routes of the cenv scope, matched against concrete paths at preflight time. */
export class CorsRoutes {
  private readonly routes: OptedIn[] = [];

  /** Records a route (its full pattern, e.g. `/:cenv/api/*`). */
  add(url: string, method: string | string[]): void {
    const methods = new Set((Array.isArray(method) ? method : [method]).map((m) => m.toUpperCase()));
    const source = url.split('/').map((part) => {
      if (part.startsWith(':')) return '[^/]+';
      if (part === '*') return '.*';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('/');
    this.routes.push({ pattern: new RegExp(`^${source}$`), methods });
  }

  /** The methods opted-in routes serve at `path`, in a stable order. */
  methodsAt(path: string): string[] {
    const found = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) for (const m of route.methods) found.add(m);
    return [...found].sort();
  }
}

function listed(request: FastifyRequest, allowed: readonly string[]): string | null {
  const origin = request.headers.origin;
  return typeof origin === 'string' && allowed.includes(origin) ? origin : null;
}

/** True for a CORS preflight (which carries no credentials and must be answered before them). */
export function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && typeof request.headers['access-control-request-method'] === 'string';
}

/**
 * Answers a preflight to a cenv path: 204, with CORS headers only for a listed origin asking
 * for a method an opted-in route serves there.
 */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply, routes: CorsRoutes, allowed: readonly string[]): FastifyReply {
  reply.header('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
  const origin = listed(request, allowed);
  const methods = origin ? routes.methodsAt(request.url.split('?')[0]) : [];
  const asked = String(request.headers['access-control-request-method']).toUpperCase();
  if (origin && methods.includes(asked)) {
    reply.headers({
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': methods.join(', '),
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': MAX_AGE,
    });
  }
  return reply.code(204).send();
}

/** Adds the CORS headers of an actual request to an opted-in route. */
export function applyCors(request: FastifyRequest, reply: FastifyReply, allowed: readonly string[]): void {
  reply.header('vary', 'Origin');
  const origin = listed(request, allowed);
  if (!origin) return;
  reply.headers({
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': EXPOSED_HEADERS,
  });
}
