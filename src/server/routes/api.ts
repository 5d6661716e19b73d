/**
 * `/{cenv}/api/{path}`: the cenv's own Starlark endpoints. The route is open to anyone
 * (credentials that are sent are checked, and CSRF applies to cookie callers as everywhere);
 * each endpoint's own `access` is decided here once the path is matched: `public` serves
 * anyone, `user` needs a session (401), `admin` an owner or admin (403 for users).
 *
 * The script runs in the sandbox as the caller, or as the owner when the endpoint says
 * `run_as: "owner"`. Its response is tenant content (`kind: 'tenant'`: the sandbox CSP,
 * re-applied after the handler so a script cannot remove it). Bodies of any content type
 * arrive as text (this plugin's own parser); the body limit is the server's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAdministrator, type Principal } from '../../auth/principal.ts';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../../errors.ts';
import { callerError, runRecord, type RunContext } from '../../endpoints/outcome.ts';
import { ownerPrincipal } from '../../endpoints/principals.ts';
import type { EndpointAccess } from '../../endpoints/route-table.ts';
import { enforceAccess } from '../plugins/access.ts';
import { runOp } from '../sandbox-call.ts';
import type { Access } from '../types.ts';
import { apiPath, scriptRequest } from './api-request.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const NEEDS: Record<EndpointAccess, Access> = { public: 'anonymous', user: 'user', admin: 'admin' };
const utf8 = new TextDecoder('utf-8', { fatal: true });

async function serve(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { cenv, principal } = request.caller;
  const path = apiPath(request.url);
  const match = (await app.deps.endpoints.routes.table(cenv.id)).match(request.method, path);
  const shown = path === '' ? '/' : path.slice(0, 200);
  if (match.kind === 'none') throw new NotFoundError(`no endpoint for ${request.method} ${shown}`);
  if (match.kind === 'method') {
    reply.header('allow', match.allow.join(', '));
    throw new MethodNotAllowedError(`${shown} does not take ${request.method}; it takes ${match.allow.join(', ')}`);
  }
  const { route, params } = match;
  enforceAccess(NEEDS[route.access], principal);
  const runAs: Principal = route.run_as === 'owner' ? await app.deps.pools.use(cenv.id, ownerPrincipal) : principal;
  const context: RunContext = { requestId: request.id, method: request.method, path: shown, version: route.version, caller: principal, started: Date.now() };
  const payload = { endpoint: { id: route.id, version: route.version }, request: scriptRequest(request, path, params) };
  let result;
  try {
    // A scheduling hint only (a cenv's writers share one child): GET/HEAD endpoints are taken
    // to read, so they run side by side; one that writes anyway is still correct (run.ts).
    const writes = request.method !== 'GET' && request.method !== 'HEAD';
    result = await runOp(app, request, 'endpoint', payload, { principal: runAs, writes });
  } catch (error) {
    app.deps.endpoints.runs.add(cenv.id, route.id, runRecord(context, { error: error as Error }));
    throw error;
  }
  app.deps.endpoints.runs.add(cenv.id, route.id, runRecord(context, { status: result.status, run: result.run }));
  if (result.run.error) throw callerError(result.run.error, isAdministrator(principal), request.id);
  // The run committed: its messages go to the channel's subscribers the endpoint's access admits.
  for (const { channel, value } of result.run.published ?? []) app.deps.events.publish(cenv.id, channel, value, route.access);
  reply.code(result.status);
  reply.headers(result.headers ?? {});
  return result.status === 204 || result.status === 304 ? reply.send() : reply.send(result.body);
}

/** @example app.register(cenvScope([apiRoutes]), { prefix: '/:cenv' }) */
export async function apiRoutes(app: FastifyInstance): Promise<void> {
  // Endpoint bodies are text of any content type; this replaces the JSON-only parser here alone.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, utf8.decode(body));
    } catch {
      done(new BadRequestError('endpoint request bodies must be UTF-8 text'), undefined);
    }
  });
  const config = { access: 'anonymous', kind: 'tenant', cors: true } as const;
  const handler = (request: FastifyRequest, reply: FastifyReply) => serve(app, request, reply);
  app.route({ method: METHODS, url: '/api', config, handler });
  app.route({ method: METHODS, url: '/api/*', config, handler });
}
