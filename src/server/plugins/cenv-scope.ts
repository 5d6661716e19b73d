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
import { ceilingOf, type Settings } from '../../cenv/settings.ts';
import { authenticate, authenticateCached, readCredentials, SESSION_COOKIE, type Credentials } from '../../auth/authenticate.ts';
import { csrfMatches, needsCsrf, CSRF_HEADER } from '../../auth/csrf.ts';
import { ANONYMOUS, type Principal } from '../../auth/principal.ts';
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

/** true: the route runs; false: the request was answered here (a preflight, a forward). */
type Outcome = boolean | Promise<boolean>;

/**
 * The steps above. When the cenv, its settings, the token and the session are all in memory
 * (nearly every request) they run without a promise: on the hot path each await was a
 * measurable share of the request. Anything else takes the same steps, waiting where needed.
 */
function enter(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, cors: CorsRoutes): Outcome {
  const ref = app.deps.cluster ? null : parseCenvRef((request.params as { cenv?: string }).cenv ?? '');
  const cenv = ref ? app.deps.registry.peek(ref) : undefined;
  const settings = cenv ? app.deps.settings.peek(cenv.id) : undefined;
  if (!cenv || !settings) return enterWaiting(app, request, reply, cors);
  return withCaller(app, request, reply, cenv, settings, cors);
}

async function enterWaiting(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, cors: CorsRoutes): Promise<boolean> {
  const cenv = await resolveCenv(app, request, reply);
  // Cluster mode: a cenv owned by another node is served there (forwarded as is).
  if (app.deps.cluster && await app.deps.cluster.route(cenv, request, reply)) return false;
  return withCaller(app, request, reply, cenv, await app.deps.settings.get(cenv.id), cors);
}

/** Builds `request.caller` and admits it (authentication, rate limits, CSRF, access). */
function withCaller(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, cenv: CenvRecord, settings: Settings, cors: CorsRoutes): Outcome {
  if (isPreflight(request)) {
    answerPreflight(request, reply, cors, settings.cors_allowed_origins);
    return false;
  }
  const config = routeConfig(request);
  if (config.cors) applyCors(request, reply, settings.cors_allowed_origins);
  const agent = request.headers['user-agent'];
  const caller: Caller = {
    cenv, principal: ANONYMOUS, ip: request.ip, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null,
    viaCookie: false, settings,
  };
  request.caller = caller;
  if (config.access === 'none') {
    const limited = app.deps.rateLimits.cenvRequest(request, reply, caller, false);
    return limited ? limited.then(() => true) : true;
  }
  const credentials = readCredentials(request.headers.authorization, request.cookies[SESSION_COOKIE]);
  let known: Principal | undefined;
  try {
    known = authenticateCached(app.deps.tokens, cenv.id, credentials, app.deps.sessions);
  } catch (error) {
    return refused(app, request, reply, caller, error);
  }
  if (known) return admit(app, request, reply, caller, credentials, known);
  return authenticate(app.deps.tokens, cenv.id, credentials, (fn) => app.deps.pools.use(cenv.id, fn), app.deps.sessions).then(
    (principal) => admit(app, request, reply, caller, credentials, principal),
    (error: unknown) => refused(app, request, reply, caller, error),
  );
}

/** Refused credentials count against the address: a flood of bad tokens is limited too. */
async function refused(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, caller: Caller, error: unknown): Promise<never> {
  await app.deps.rateLimits.cenvRequest(request, reply, caller, false);
  throw error;
}

function admit(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, caller: Caller, credentials: Credentials | null, principal: Principal): Outcome {
  caller.principal = principal;
  caller.viaCookie = credentials?.viaCookie ?? false;
  const limited = app.deps.rateLimits.cenvRequest(request, reply, caller, principal.userId !== null);
  return limited ? limited.then(() => guard(app, request, caller)) : guard(app, request, caller);
}

/** CSRF for cookie sessions, then the route's declared access. */
function guard(app: FastifyInstance, request: FastifyRequest, caller: Caller): true {
  const header = request.headers[CSRF_HEADER];
  if (caller.viaCookie && needsCsrf(request.method) &&
      !csrfMatches(app.deps.tokens.key, caller.principal.sessionId!, typeof header === 'string' ? header : undefined)) {
    throw new CsrfError(`cookie-authenticated ${request.method} requests need the ${CSRF_HEADER} header from login`);
  }
  enforceAccess(routeConfig(request).access!, caller.principal);
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
    // Callback style: an async hook would cost a promise even when nothing waits.
    scope.addHook('onRequest', (request, reply, done) => {
      let outcome: Outcome;
      try {
        outcome = enter(scope, request, reply, cors);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (outcome === true) done();
      else if (outcome !== false) outcome.then((go) => { if (go) done(); }, (error: Error) => done(error));
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
