/**
 * `/{cenv}/admin/modules` (owner and admin): the modules scripts `load()`, by name
 * (`lib/util.star`, slashes and all, so the name is the rest of the URL):
 *
 *   GET  /admin/modules                             list
 *   POST /admin/modules {name, source}              create (409 when it exists)
 *   GET|PUT|DELETE /admin/modules/{name}            read, create-or-replace ({source}), delete
 *   GET  /admin/modules/{name}/versions[/{n}]       versions, one version's source
 *   POST /admin/modules/{name}/versions/{n}/restore a new version with that source
 *
 * Rules live in src/endpoints/module-store.ts. Endpoints that load a changed module are
 * rebuilt on their next request (sandbox children check module versions), so nothing is
 * invalidated here beyond telling the commit bus.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { dialectFor, MAX_SOURCE_BYTES } from '../../endpoints/dialect.ts';
import {
  createModule, deleteModule, findModule, listModules, MAX_MODULE_NAME, moduleJson, moduleVersion, moduleVersions,
  restoreModule, saveModule,
} from '../../endpoints/module-store.ts';
import { NotFoundError } from '../../errors.ts';
import { editorOf, publishChange } from '../caller.ts';

const Source = Type.String({ maxLength: MAX_SOURCE_BYTES });
const NewModule = Type.Object({ name: Type.String({ minLength: 1, maxLength: MAX_MODULE_NAME }), source: Source }, { additionalProperties: false });
const ModuleBody = Type.Object({ source: Source }, { additionalProperties: false });
const Tail = Type.Object({ cenv: Type.String(), '*': Type.String({ maxLength: 256 }) });

/** `lib/x.star`, `lib/x.star/versions`, `lib/x.star/versions/3`, `lib/x.star/versions/3/restore`. */
const TAIL = /^(?<name>.+?\.star)(?:\/versions(?:\/(?<n>[1-9][0-9]{0,14})(?<restore>\/restore)?)?)?$/;

interface Target { name: string; versions: boolean; n: number | null; restore: boolean }

function target(tail: string): Target {
  const match = TAIL.exec(tail);
  if (!match?.groups) throw new NotFoundError(`no module route for "${tail.slice(0, 200)}" (module names end in .star)`);
  const { name, n, restore } = match.groups;
  return { name, versions: tail.length > name.length, n: n === undefined ? null : Number(n), restore: restore !== undefined };
}

export async function adminModuleRoutes(app: FastifyInstance): Promise<void> {
  const admin = { access: 'admin' } as const;
  const use = <T>(request: FastifyRequest, fn: (db: DatabaseSync) => T) => app.deps.pools.use(request.caller.cenv.id, fn);
  const dialect = (request: FastifyRequest) => dialectFor(request.caller.settings);

  app.get('/admin/modules', { config: admin }, async (request) => {
    return { modules: (await use(request, listModules)).map((m) => moduleJson(m, false)) };
  });

  app.post<{ Body: Static<typeof NewModule> }>('/admin/modules', { schema: { body: NewModule }, config: admin }, async (request, reply) => {
    const created = await use(request, (db) => createModule(db, request.body.name, request.body.source, editorOf(request), dialect(request)));
    publishChange(request, 'endpoints');
    return reply.code(201).send(moduleJson(created, true));
  });

  type TailRequest = FastifyRequest<{ Params: Static<typeof Tail> }>;
  app.get('/admin/modules/*', { schema: { params: Tail }, config: admin }, async (request: TailRequest) => {
    const t = target(request.params['*']);
    if (!t.versions) {
      const found = await use(request, (db) => findModule(db, t.name));
      if (!found) throw new NotFoundError(`no module named "${t.name}"`);
      return moduleJson(found, true);
    }
    if (t.restore) throw new NotFoundError('restore is a POST');
    if (t.n === null) return { versions: await use(request, (db) => moduleVersions(db, t.name)) };
    const { version, created_at, created_by, size, source } = await use(request, (db) => moduleVersion(db, t.name, t.n!));
    return { version, created_at, created_by, size, source };
  });

  app.put<{ Params: Static<typeof Tail>; Body: Static<typeof ModuleBody> }>('/admin/modules/*', { schema: { params: Tail, body: ModuleBody }, config: admin }, async (request, reply) => {
    const t = target(request.params['*']);
    if (t.versions) throw new NotFoundError('versions are read with GET and restored with POST …/versions/{n}/restore');
    const saved = await use(request, (db) => saveModule(db, t.name, request.body.source, editorOf(request), dialect(request)));
    publishChange(request, 'endpoints');
    return reply.code(saved.created ? 201 : 200).send(moduleJson(saved.module, true));
  });

  app.post('/admin/modules/*', { schema: { params: Tail }, config: admin }, async (request: TailRequest) => {
    const t = target(request.params['*']);
    if (!t.restore || t.n === null) throw new NotFoundError('POST /admin/modules/{name}/versions/{n}/restore is the only POST under a module');
    const restored = await use(request, (db) => restoreModule(db, t.name, t.n!, editorOf(request), dialect(request)));
    publishChange(request, 'endpoints');
    return moduleJson(restored, true);
  });

  app.delete('/admin/modules/*', { schema: { params: Tail }, config: admin }, async (request: TailRequest, reply: FastifyReply) => {
    const t = target(request.params['*']);
    if (t.versions) throw new NotFoundError('versions cannot be deleted; delete the module');
    await use(request, (db) => deleteModule(db, t.name, editorOf(request), dialect(request)));
    publishChange(request, 'endpoints');
    return reply.code(204).send();
  });
}
