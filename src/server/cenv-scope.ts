/**
 * Everything under `/{cenv}/…`: resolves the cenv (404 for anything that names none, with
 * no file-system lookup of user input), authenticates the caller and enforces CSRF for
 * cookie-authenticated state changes, then hands over to the route plugins.
 *
 * A route that must run without credential checks (login) sets `config: { auth: 'none' }`.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { parseCenvRef } from '../cenv/ids.ts';
import { authenticate, readCredentials, SESSION_COOKIE } from '../auth/authenticate.ts';
import { csrfMatches, needsCsrf, CSRF_HEADER } from '../auth/csrf.ts';
import { CsrfError, NotFoundError, UnauthorizedError } from '../errors.ts';
import { ANONYMOUS } from '../auth/principal.ts';

export interface CenvRouteConfig { auth?: 'none' }

/** The route plugins that live under `/{cenv}`; each file adds itself here. */
export type CenvRoutePlugin = FastifyPluginAsync;

async function resolveCenv(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const segment = (request.params as { cenv?: string }).cenv ?? '';
  const ref = parseCenvRef(segment);
  const cenv = ref && app.deps.registry.resolve(ref);
  if (!cenv) throw new NotFoundError(`no cenv "${segment.slice(0, 64)}"`);
  request.cenv = cenv;
}

async function authenticateRequest(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const header = request.headers[CSRF_HEADER];
  const credentials = readCredentials(request.headers.authorization, request.cookies[SESSION_COOKIE]);
  const cenvId = request.cenv.id;
  request.principal = await authenticate(app.deps.tokens, cenvId, credentials, (fn) => app.deps.pools.use(cenvId, fn));
  request.viaCookie = credentials?.viaCookie ?? false;
  if (request.viaCookie && needsCsrf(request.method) &&
      !csrfMatches(app.deps.tokens.key, request.principal.sessionId!, typeof header === 'string' ? header : undefined)) {
    throw new CsrfError(`cookie-authenticated ${request.method} requests need the ${CSRF_HEADER} header from login`);
  }
}

/** Throws 401 unless the caller is signed in. */
export function requireUser(request: FastifyRequest): void {
  if (request.principal.role === 'anonymous') throw new UnauthorizedError('log in first: this needs a session');
}

/**
 * Registers `routes` under `/:cenv` with the hooks above.
 * @example app.register(cenvScope([loginRoutes, sessionRoutes]), { prefix: '/:cenv' })
 */
export function cenvScope(routes: CenvRoutePlugin[]): FastifyPluginAsync {
  return async (scope) => {
    scope.addHook('onRequest', async (request) => {
      await resolveCenv(scope, request);
      const config = request.routeOptions.config as CenvRouteConfig;
      if (config.auth === 'none') {
        request.principal = ANONYMOUS;
        request.viaCookie = false;
        return;
      }
      await authenticateRequest(scope, request);
    });
    for (const plugin of routes) await scope.register(plugin);
  };
}
