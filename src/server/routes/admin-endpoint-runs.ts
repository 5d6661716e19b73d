/**
 * The editor's two views of runs (owner and admin):
 *
 * - `POST /{cenv}/admin/endpoints/test` runs unsaved source against a synthetic request in
 *   the sandbox, inside a transaction that is always rolled back, as the caller, a chosen
 *   user (`as_user`, or null for anonymous) or the owner (`run_as: "owner"`, owner only), and
 *   answers what the endpoint would have: `{status, headers, body, logs, error?, duration_ms, steps}`.
 * - `GET /{cenv}/admin/endpoints/{id}/logs` lists the latest runs of a saved endpoint.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ANONYMOUS, type Principal } from '../../auth/principal.ts';
import { checkSource } from '../../endpoints/check-source.ts';
import { dialectFor, MAX_SOURCE_BYTES } from '../../endpoints/dialect.ts';
import { failureDetails } from '../../endpoints/outcome.ts';
import { MAX_PATTERN_LENGTH } from '../../endpoints/patterns.ts';
import { ownerPrincipal, testPrincipal } from '../../endpoints/principals.ts';
import { RouteTable } from '../../endpoints/route-table.ts';
import { findEndpoint } from '../../endpoints/store.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { runOp } from '../sandbox-call.ts';
import { scriptUser, visibleHeaders } from './api-request.ts';

const Text = (maxLength: number) => Type.String({ maxLength });
const TestRun = Type.Object({
  source: Text(MAX_SOURCE_BYTES),
  method: Type.Union(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => Type.Literal(m))),
  path: Type.String({ minLength: 1, maxLength: 2048, pattern: '^/[^?#]*$' }),
  pattern: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PATTERN_LENGTH })),
  query: Type.Optional(Type.Record(Text(256), Text(8192), { maxProperties: 256 })),
  headers: Type.Optional(Type.Record(Text(256), Text(8192), { maxProperties: 100 })),
  body: Type.Optional(Type.String()),
  as_user: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()])),
  run_as: Type.Optional(Type.Union([Type.Literal('caller'), Type.Literal('owner')])),
}, { additionalProperties: false });
type TestBody = Static<typeof TestRun>;

const LogParams = Type.Object({ cenv: Type.String(), id: Type.String({ pattern: '^[1-9][0-9]{0,14}$' }) });
const LogQuery = Type.Object({ limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })) }, { additionalProperties: false });

/** The values of `pattern`'s parameters in `path` (none without a pattern). */
function paramsOf(body: TestBody): Record<string, string> {
  if (body.pattern === undefined) return {};
  const table = new RouteTable([{ id: 0, method: 'ANY', path: body.pattern, access: 'public', run_as: 'caller', version: 1 }]);
  const match = table.match(body.method, body.path);
  if (match.kind !== 'found') throw new ValidationError(`path ${body.path.slice(0, 200)} does not match the pattern ${body.pattern}`);
  return match.params;
}

/** Whom the test runs as, and the `req.user` it shows. */
async function principalsOf(app: FastifyInstance, request: FastifyRequest<{ Body: TestBody }>): Promise<{ runAs: Principal; user: Principal }> {
  const { cenv, principal } = request.caller;
  const { as_user: asUser, run_as: runAs } = request.body;
  const user = asUser === undefined ? principal : asUser === null ? ANONYMOUS : await app.deps.pools.use(cenv.id, (db) => testPrincipal(db, asUser, principal));
  if (runAs !== 'owner') return { runAs: user, user };
  if (principal.role !== 'owner') throw new ForbiddenError('only the owner may run code as the owner');
  return { runAs: await app.deps.pools.use(cenv.id, ownerPrincipal), user };
}

export async function adminEndpointRunRoutes(app: FastifyInstance): Promise<void> {
  const admin = { access: 'admin' } as const;

  app.post<{ Body: TestBody }>('/admin/endpoints/test', { schema: { body: TestRun }, config: admin }, async (request) => {
    const { body } = request;
    checkSource(body.source, 'endpoint', dialectFor(request.caller.settings));
    const params = paramsOf(body);
    const { runAs, user } = await principalsOf(app, request);
    const reply = await runOp(app, request, 'endpoint', {
      test: { source: body.source },
      request: {
        method: body.method, path: body.path, params, query: { ...body.query }, headers: visibleHeaders(body.headers ?? {}),
        body: body.body ?? '', user: scriptUser(user),
      },
    }, { principal: runAs });
    const { run } = reply;
    return {
      status: reply.status, headers: reply.headers ?? {}, body: reply.body, logs: run.prints,
      ...(run.error ? { error: { code: run.error.code, message: run.error.message, ...failureDetails(run.error) } } : {}),
      duration_ms: run.durationMs, steps: run.steps,
    };
  });

  app.get<{ Params: Static<typeof LogParams>; Querystring: Static<typeof LogQuery> }>('/admin/endpoints/:id/logs', {
    schema: { params: LogParams, querystring: LogQuery }, config: admin,
  }, async (request) => {
    const id = Number(request.params.id);
    const { cenv } = request.caller;
    if (!(await app.deps.pools.use(cenv.id, (db) => findEndpoint(db, id)))) throw new NotFoundError(`no endpoint with id ${id}`);
    const limit = Math.min(200, Number(request.query.limit ?? 200));
    return { runs: app.deps.endpoints.runs.list(cenv.id, id, limit) };
  });
}
