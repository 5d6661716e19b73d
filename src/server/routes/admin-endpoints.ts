/**
 * `/{cenv}/admin/endpoints` (owner and admin): list, create, read, change and delete Starlark
 * endpoints, and their versions (list, read one, restore). Rules and checks live in
 * src/endpoints/store.ts; after every change the cenv's routing table is dropped, so the
 * next request routes to what was saved.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { dialectFor, MAX_SOURCE_BYTES } from '../../endpoints/dialect.ts';
import { ENDPOINT_METHODS } from '../../endpoints/route-table.ts';
import { MAX_PATTERN_LENGTH } from '../../endpoints/patterns.ts';
import {
  createEndpoint, deleteEndpoint, endpointJson, endpointVersion, endpointVersions, findEndpoint, listEndpoints,
  restoreEndpoint, updateEndpoint,
} from '../../endpoints/store.ts';
import { NotFoundError } from '../../errors.ts';
import { editorOf, publishChange } from '../caller.ts';

const fields = {
  method: Type.Union(ENDPOINT_METHODS.map((m) => Type.Literal(m))),
  path: Type.String({ minLength: 1, maxLength: MAX_PATTERN_LENGTH }),
  source: Type.String({ maxLength: MAX_SOURCE_BYTES }),
  access: Type.Union([Type.Literal('public'), Type.Literal('user'), Type.Literal('admin')]),
  run_as: Type.Union([Type.Literal('caller'), Type.Literal('owner')]),
  enabled: Type.Boolean(),
};
const NewEndpoint = Type.Object({
  method: fields.method, path: fields.path, source: fields.source,
  access: Type.Optional(fields.access), run_as: Type.Optional(fields.run_as), enabled: Type.Optional(fields.enabled),
}, { additionalProperties: false });
const EndpointPatch = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
// Path parameters arrive as text (no type coercion): positive integers of at most 15 digits.
const Id = Type.String({ pattern: '^[1-9][0-9]{0,14}$' });
const Params = Type.Object({ cenv: Type.String(), id: Id });
const VersionParams = Type.Object({ cenv: Type.String(), id: Id, n: Id });

type WithId = { Params: Static<typeof Params> };
type WithVersion = { Params: Static<typeof VersionParams> };

export async function adminEndpointRoutes(app: FastifyInstance): Promise<void> {
  const admin = { access: 'admin' } as const;
  const use = <T>(request: FastifyRequest, fn: (db: DatabaseSync) => T) => app.deps.pools.use(request.caller.cenv.id, fn);
  const changed = (request: FastifyRequest) => {
    app.deps.endpoints.routes.invalidate(request.caller.cenv.id);
    publishChange(request, 'endpoints');
  };

  app.get('/admin/endpoints', { config: admin }, async (request) => {
    const endpoints = await use(request, listEndpoints);
    return { endpoints: endpoints.map((e) => endpointJson(e, false)) };
  });

  app.post<{ Body: Static<typeof NewEndpoint> }>('/admin/endpoints', { schema: { body: NewEndpoint }, config: admin }, async (request, reply) => {
    const { access = 'user', run_as = 'caller', enabled = true, ...rest } = request.body;
    const endpoint = await use(request, (db) => createEndpoint(db, { ...rest, access, run_as, enabled }, editorOf(request), dialectFor(request.caller.settings)));
    changed(request);
    return reply.code(201).send(endpointJson(endpoint, true));
  });

  app.get<WithId>('/admin/endpoints/:id', { schema: { params: Params }, config: admin }, async (request) => {
    const endpoint = await use(request, (db) => findEndpoint(db, Number(request.params.id)));
    if (!endpoint) throw new NotFoundError(`no endpoint with id ${request.params.id}`);
    return endpointJson(endpoint, true);
  });

  app.put<WithId & { Body: Static<typeof EndpointPatch> }>('/admin/endpoints/:id', { schema: { params: Params, body: EndpointPatch }, config: admin }, async (request) => {
    const endpoint = await use(request, (db) => updateEndpoint(db, Number(request.params.id), request.body, editorOf(request), dialectFor(request.caller.settings)));
    changed(request);
    return endpointJson(endpoint, true);
  });

  app.delete<WithId>('/admin/endpoints/:id', { schema: { params: Params }, config: admin }, async (request, reply) => {
    const id = Number(request.params.id);
    await use(request, (db) => deleteEndpoint(db, id, editorOf(request)));
    app.deps.endpoints.runs.forget(request.caller.cenv.id, id);
    changed(request);
    return reply.code(204).send();
  });

  app.get<WithId>('/admin/endpoints/:id/versions', { schema: { params: Params }, config: admin }, async (request) => {
    return { versions: await use(request, (db) => endpointVersions(db, Number(request.params.id))) };
  });

  app.get<WithVersion>('/admin/endpoints/:id/versions/:n', { schema: { params: VersionParams }, config: admin }, async (request) => {
    const { version, created_at, created_by, size, source } = await use(request, (db) => endpointVersion(db, Number(request.params.id), Number(request.params.n)));
    return { version, created_at, created_by, size, source };
  });

  app.post<WithVersion>('/admin/endpoints/:id/versions/:n/restore', { schema: { params: VersionParams }, config: admin }, async (request) => {
    const endpoint = await use(request, (db) => restoreEndpoint(db, Number(request.params.id), Number(request.params.n), editorOf(request), dialectFor(request.caller.settings)));
    changed(request);
    return endpointJson(endpoint, true);
  });
}
