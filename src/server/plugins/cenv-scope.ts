/**
 * Everything under `/{cenv}/…`, in order, before any route runs:
 *
 * 1. resolve the cenv (404 for anything that names none, with no file-system lookup of user
 *    input); in cluster mode, hand the request to the node that owns it unless this one
 *    does (`deps.cluster.route`); then its settings;
 * 2. authenticate the caller, unless the route's access is `none` (login: a stale cookie
 *    must not stop a new login);
 * 3. CSRF: a cookie-authenticated request that changes state must echo the CSRF token;
 * 4. the route's declared access (plugins/access.ts).
 *
 * The result is `request.caller`, built once. A route registered here without
 * `config.access` stops the server at startup: no route is open by omission.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { parseCenvRef } from '../../cenv/ids.ts';
import { authenticate, readCredentials, SESSION_COOKIE } from '../../auth/authenticate.ts';
import { csrfMatches, needsCsrf, CSRF_HEADER } from '../../auth/csrf.ts';
import { ANONYMOUS } from '../../auth/principal.ts';
import { CsrfError, NotFoundError } from '../../errors.ts';
import { ACCESS_LEVELS, enforceAccess } from './access.ts';
import type { Caller } from '../types.ts';
import type { CenvRecord } from '../../cenv/registry.ts';

/** The route plugins that live under `/{cenv}`. */
export type CenvRoutePlugin = FastifyPluginAsync;

async function resolveCenv(app: FastifyInstance, request: FastifyRequest): Promise<CenvRecord> {
  const segment = (request.params as { cenv?: string }).cenv ?? '';
  const ref = parseCenvRef(segment);
  const cenv = ref && await app.deps.registry.resolve(ref);
  if (!cenv) throw new NotFoundError(`no cenv "${segment.slice(0, 64)}"`);
  return cenv;
}

async function buildCaller(app: FastifyInstance, request: FastifyRequest, cenv: CenvRecord): Promise<Caller> {
  const agent = request.headers['user-agent'];
  const caller: Caller = {
    cenv, principal: ANONYMOUS, ip: request.ip, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null,
    viaCookie: false, settings: await app.deps.settings.get(cenv.id),
  };
  const access = request.routeOptions.config.access!;
  if (access === 'none') return caller;
  const credentials = readCredentials(request.headers.authorization, request.cookies[SESSION_COOKIE]);
  caller.principal = await authenticate(app.deps.tokens, cenv.id, credentials, (fn) => app.deps.pools.use(cenv.id, fn), app.deps.sessions);
  caller.viaCookie = credentials?.viaCookie ?? false;
  const header = request.headers[CSRF_HEADER];
  if (caller.viaCookie && needsCsrf(request.method) &&
      !csrfMatches(app.deps.tokens.key, caller.principal.sessionId!, typeof header === 'string' ? header : undefined)) {
    throw new CsrfError(`cookie-authenticated ${request.method} requests need the ${CSRF_HEADER} header from login`);
  }
  enforceAccess(access, caller.principal);
  return caller;
}

/**
 * Registers `routes` under `/:cenv` with the steps above.
 * @example app.register(cenvScope([loginRoutes, sessionRoutes]), { prefix: '/:cenv' })
 */
export function cenvScope(routes: CenvRoutePlugin[]): FastifyPluginAsync {
  return async (scope) => {
    scope.addHook('onRoute', (route) => {
      const access = route.config?.access;
      if (access === undefined || !ACCESS_LEVELS.includes(access)) {
        throw new Error(`route ${route.method} ${route.url} must declare config.access (${ACCESS_LEVELS.join(', ')})`);
      }
    });
    scope.addHook('onRequest', async (request, reply) => {
      const cenv = await resolveCenv(scope, request);
      // Cluster mode: a cenv owned by another node is served there (forwarded as is).
      if (scope.deps.cluster && await scope.deps.cluster.route(cenv, request, reply)) return reply;
      request.caller = await buildCaller(scope, request, cenv);
    });
    if (scope.deps.cluster) {
      const cluster = scope.deps.cluster;
      // An answer computed while this node owned the cenv leaves only if it still does.
      scope.addHook('onSend', async (request) => cluster.confirm(request));
    }
    for (const plugin of routes) await scope.register(plugin);
  };
}
