/**
 * Everything under `/{cenv}/…`, in order, before any route runs:
 *
 * 1. resolve the cenv (404 for anything that names none, with no file-system lookup of user
 *    input, counted per address like paths outside any cenv); in cluster mode, hand the
 *    request to the node that owns it unless this one does (`deps.cluster.route`); then its
 *    settings;
 * 2. CORS (plugins/cors.ts): a preflight is answered here, before credentials; an opted-in
 *    route gets its CORS headers now, so even a 401 or 429 is readable by a listed origin;
 * 3. authenticate the caller, unless the route's access is `none` (login: a stale cookie
 *    must not stop a new login); credentials that are refused count against the address's
 *    rate limit before the 401;
 * 4. rate limits (plugins/rate-limit.ts): the cenv, and the user or the address;
 * 5. CSRF: a cookie-authenticated request that changes state must echo the CSRF token;
 * 6. the route's declared access (plugins/access.ts).
 *
 * The result is `request.caller`, built once. Then the body is held to the cenv's
 * `body_limit_bytes` (plugins/body-limit.ts). A route registered here without
 * `config.access` stops the server at startup: no route is open by omission.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { parseCenvRef } from '../../cenv/ids.ts';
import type { CenvRecord } from '../../cenv/registry.ts';
import { ceilingOf } from '../../cenv/settings.ts';
import { authenticate, readCredentials, SESSION_COOKIE } from '../../auth/authenticate.ts';
import { csrfMatches, needsCsrf, CSRF_HEADER } from '../../auth/csrf.ts';
import { ANONYMOUS } from '../../auth/principal.ts';
import { CsrfError, NotFoundError } from '../../errors.ts';
import { ACCESS_LEVELS, enforceAccess } from './access.ts';
import { NoContent } from '../openapi/schemas.ts';
import { answerPreflight, applyCors, CorsRoutes, isPreflight } from './cors.ts';
import { setRouteBodyLimit } from './body-limit.ts';
import type { Caller } from '../types.ts';
import { routeConfig } from '../route-config.ts';

/** The route plugins that live under `/{cenv}`. */
export type CenvRoutePlugin = FastifyPluginAsync;

async function resolveCenv(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<CenvRecord> {
  const segment = (request.params as { cenv?: string }).cenv ?? '';
  const ref = parseCenvRef(segment);
  const cenv = ref && await app.deps.registry.resolve(ref);
  if (!cenv) {
    // Probing for cenvs counts per address like any path outside a cenv.
    await app.deps.rateLimits.serverRequest(request, reply, app.deps.config.settings.rate_limit_ip_per_min.value as number);
    throw new NotFoundError(`no cenv "${segment.slice(0, 64)}"`);
  }
  return cenv;
}

/** Builds `request.caller`; returns false when the request was answered here (a preflight). */
async function buildCaller(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, cenv: CenvRecord, cors: CorsRoutes): Promise<boolean> {
  const agent = request.headers['user-agent'];
  const settings = await app.deps.settings.get(cenv.id);
  if (isPreflight(request)) {
    answerPreflight(request, reply, cors, settings.cors_allowed_origins);
    return false;
  }
  const config = routeConfig(request);
  if (config.cors) applyCors(request, reply, settings.cors_allowed_origins);
  const caller: Caller = {
    cenv, principal: ANONYMOUS, ip: request.ip, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null,
    viaCookie: false, settings,
  };
  request.caller = caller;
  if (config.access === 'none') {
    await app.deps.rateLimits.cenvRequest(request, reply, caller, false);
    return true;
  }
  const credentials = readCredentials(request.headers.authorization, request.cookies[SESSION_COOKIE]);
  try {
    caller.principal = await authenticate(app.deps.tokens, cenv.id, credentials, (fn) => app.deps.pools.use(cenv.id, fn), app.deps.sessions);
  } catch (error) {
    // Refused credentials count against the address: a flood of bad tokens is limited too.
    await app.deps.rateLimits.cenvRequest(request, reply, caller, false);
    throw error;
  }
  caller.viaCookie = credentials?.viaCookie ?? false;
  const limited = app.deps.rateLimits.cenvRequest(request, reply, caller, caller.principal.userId !== null);
  if (limited) await limited;
  const header = request.headers[CSRF_HEADER];
  if (caller.viaCookie && needsCsrf(request.method) &&
      !csrfMatches(app.deps.tokens.key, caller.principal.sessionId!, typeof header === 'string' ? header : undefined)) {
    throw new CsrfError(`cookie-authenticated ${request.method} requests need the ${CSRF_HEADER} header from login`);
  }
  enforceAccess(config.access!, caller.principal);
  return true;
}

/**
 * Registers `routes` under `/:cenv` with the steps above.
 * @example app.register(cenvScope([loginRoutes, sessionRoutes]), { prefix: '/:cenv' })
 */
export function cenvScope(routes: CenvRoutePlugin[]): FastifyPluginAsync {
  return async (scope) => {
    const cors = new CorsRoutes();
    const server = scope.deps.config.settings;
    const bodyCeiling = ceilingOf('body_limit_bytes', server);
    scope.addHook('onRoute', (route) => {
      const access = route.config?.access;
      if (access === undefined || !ACCESS_LEVELS.includes(access)) {
        throw new Error(`route ${route.method} ${route.url} must declare config.access (${ACCESS_LEVELS.join(', ')})`);
      }
      setRouteBodyLimit(route, server, bodyCeiling);
      if (route.config?.cors) cors.add(route.url, route.method);
    });
    scope.addHook('onRequest', async (request, reply) => {
      const cenv = await resolveCenv(scope, request, reply);
      // Cluster mode: a cenv owned by another node is served there (forwarded as is).
      if (scope.deps.cluster && await scope.deps.cluster.route(cenv, request, reply)) return reply;
      if (!(await buildCaller(scope, request, reply, cenv, cors))) return reply;
    });
    if (scope.deps.cluster) {
      const cluster = scope.deps.cluster;
      // An answer computed while this node owned the cenv leaves only if it still does.
      scope.addHook('onSend', async (request) => cluster.confirm(request));
    }
    // Preflights to any path of a cenv are answered by the onRequest hook; this route makes
    // the router match them (and answers a plain OPTIONS with an empty 204).
    scope.options('/*', {
      schema: { summary: 'CORS preflight of any path of the cenv (the cenv\'s cors_allowed_origins decide)', response: { 204: NoContent('the preflight\'s answer, in its headers') } },
      config: { access: 'none', rateLimit: false },
    }, async (_request, reply) => reply.code(204).send());
    for (const plugin of routes) await scope.register(plugin);
  };
}
