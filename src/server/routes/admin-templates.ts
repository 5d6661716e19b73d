/**
 * Templates (owner/admin): `GET/POST /{cenv}/admin/templates`, `GET/PUT/DELETE
 * /{cenv}/admin/templates/{id}`, versions (`…/{id}/versions`, `…/{id}/versions/{n}`,
 * `POST …/{id}/versions/{n}/restore`) and the editor's live preview
 * (`POST /{cenv}/admin/templates/preview`). Saves are checked in the sandbox and refused
 * with a 400 naming the line (src/pages/template-admin.ts); each publishes a `templates`
 * commit event, which re-renders exactly the pages the change made stale.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ANONYMOUS, type Principal } from '../../auth/principal.ts';
import { findUserById } from '../../auth/users.ts';
import { getVersion, listVersions } from '../../cenv/versions.ts';
import { MAX_SQL_LENGTH } from '../../db/connection.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { contentTypeProblem } from '../../pages/content-types.ts';
import { MAX_PATTERN_LENGTH, parsePattern } from '../../pages/paths.ts';
import { MAX_QUERIES, normalizeQueries } from '../../pages/query-spec.ts';
import { createChecked, deleteWithPages, restoreChecked, updateChecked, type Editor } from '../../pages/template-admin.ts';
import { getTemplate, listTemplates, templateJson } from '../../pages/template-store.ts';
import { actorOf, publishChange } from '../caller.ts';

/** Largest template source (characters); the parser's own limit is higher. */
const MAX_SOURCE = 256 * 1024;

const Query = Type.Union([
  Type.String({ minLength: 1, maxLength: MAX_SQL_LENGTH }),
  Type.Object({
    sql: Type.String({ minLength: 1, maxLength: MAX_SQL_LENGTH }),
    first: Type.Optional(Type.Boolean()),
    required: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }),
]);
const fields = {
  path: Type.String({ minLength: 1, maxLength: MAX_PATTERN_LENGTH }),
  syntax: Type.Union([Type.Literal('liquid'), Type.Literal('markdown')]),
  source: Type.String({ maxLength: MAX_SOURCE }),
  queries: Type.Record(Type.String({ maxLength: 64 }), Query, { maxProperties: MAX_QUERIES }),
  content_type: Type.String({ maxLength: 64 }),
  enabled: Type.Boolean(),
};
const NewTemplate = Type.Object({
  path: fields.path, source: fields.source, syntax: Type.Optional(fields.syntax), queries: Type.Optional(fields.queries),
  content_type: Type.Optional(fields.content_type), enabled: Type.Optional(fields.enabled),
}, { additionalProperties: false });
const TemplatePatch = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
const Preview = Type.Object({
  path: fields.path, source: fields.source, syntax: Type.Optional(fields.syntax), queries: Type.Optional(fields.queries),
  content_type: Type.Optional(fields.content_type),
  /** Values of the path's parameters (`{"id": "1"}` for `posts/:id`). */
  params: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.String({ maxLength: 1000 }), { maxProperties: 8 })),
  /** Render as this user (their id) instead of anonymous. */
  as_user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}, { additionalProperties: false });
const Id = Type.String({ pattern: '^[1-9][0-9]{0,14}$' });
const Params = Type.Object({ cenv: Type.String(), id: Id });
const VersionParams = Type.Object({ cenv: Type.String(), id: Id, version: Id });

function editor(request: FastifyRequest): Editor {
  const { cenv, principal, ip, userAgent } = request.caller;
  return { cenvId: cenv.id, principal, actor: actorOf(request), context: { ip, userAgent, requestId: request.id } };
}

/** The principal a preview renders as: anonymous, or an enabled user of the cenv. */
async function previewPrincipal(app: FastifyInstance, cenvId: string, userId: string | undefined): Promise<Principal> {
  if (userId === undefined) return ANONYMOUS;
  const user = await app.deps.pools.use(cenvId, (db) => findUserById(db, userId));
  if (!user || !user.enabled) throw new ValidationError(`as_user: no enabled user with id "${userId}"`);
  return { userId: user.id, username: user.username, role: user.role, sessionId: null };
}

export async function adminTemplateRoutes(app: FastifyInstance): Promise<void> {
  const admin = { access: 'admin' } as const;
  const changed = (request: FastifyRequest) => publishChange(request, 'templates');

  app.get('/admin/templates', { config: admin }, async (request) => {
    const templates = await app.deps.pools.use(request.caller.cenv.id, (db) => listTemplates(db));
    return { templates: templates.map((t) => templateJson(t, false)) };
  });

  app.post<{ Body: Static<typeof NewTemplate> }>('/admin/templates', { schema: { body: NewTemplate }, config: admin }, async (request, reply) => {
    const created = await createChecked(app.deps, editor(request), request.body);
    changed(request);
    return reply.code(201).send(templateJson(created));
  });

  app.post<{ Body: Static<typeof Preview> }>('/admin/templates/preview', { schema: { body: Preview }, config: admin }, async (request) => {
    const { cenv } = request.caller;
    const body = request.body;
    const pattern = parsePattern(body.path);
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(body.params ?? {})) {
      if (!pattern.params.includes(name)) throw new ValidationError(`params.${name}: the path ${body.path} has no :${name}`);
      params[name] = value;
    }
    const principal = await previewPrincipal(app, cenv.id, body.as_user);
    const contentType = body.content_type ?? 'text/html';
    const problem = contentTypeProblem(contentType);
    if (problem) throw new ValidationError(problem);
    const template = { path: body.path, syntax: body.syntax ?? 'liquid', source: body.source, queries: normalizeQueries(body.queries), contentType };
    const result = await app.deps.pages.preview(cenv.id, principal, template, body.path, params, editor(request).context);
    const { render } = result;
    return {
      html: result.html, status: result.status, reads: result.reads, duration_ms: render.durationMs, not_found: render.notFound,
      ...(render.error ? { error: render.error } : {}),
    };
  });

  app.get<{ Params: Static<typeof Params> }>('/admin/templates/:id', { schema: { params: Params }, config: admin }, async (request) => {
    const template = await app.deps.pools.use(request.caller.cenv.id, (db) => getTemplate(db, Number(request.params.id)));
    return templateJson(template);
  });

  app.put<{ Params: Static<typeof Params>; Body: Static<typeof TemplatePatch> }>('/admin/templates/:id', { schema: { params: Params, body: TemplatePatch }, config: admin }, async (request) => {
    const saved = await updateChecked(app.deps, editor(request), Number(request.params.id), request.body);
    changed(request);
    return templateJson(saved);
  });

  app.delete<{ Params: Static<typeof Params> }>('/admin/templates/:id', { schema: { params: Params }, config: admin }, async (request, reply) => {
    await deleteWithPages(app.deps, editor(request), Number(request.params.id));
    changed(request);
    return reply.code(204).send();
  });

  app.get<{ Params: Static<typeof Params> }>('/admin/templates/:id/versions', { schema: { params: Params }, config: admin }, async (request) => {
    const id = Number(request.params.id);
    const versions = await app.deps.pools.use(request.caller.cenv.id, (db) => {
      getTemplate(db, id);
      return listVersions(db, 'template', String(id));
    });
    return { versions };
  });

  app.get<{ Params: Static<typeof VersionParams> }>('/admin/templates/:id/versions/:version', { schema: { params: VersionParams }, config: admin }, async (request) => {
    const { id, version } = request.params;
    const found = await app.deps.pools.use(request.caller.cenv.id, (db) => getVersion(db, 'template', id, Number(version)));
    if (!found) throw new NotFoundError(`template ${id} has no version ${version}`);
    return found;
  });

  app.post<{ Params: Static<typeof VersionParams> }>('/admin/templates/:id/versions/:version/restore', { schema: { params: VersionParams }, config: admin }, async (request) => {
    const saved = await restoreChecked(app.deps, editor(request), Number(request.params.id), Number(request.params.version));
    changed(request);
    return templateJson(saved);
  });
}
