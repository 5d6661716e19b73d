/**
 * Response schemas of the app-building features: Starlark endpoints and modules, their
 * versions and run logs, templates, previews and the page cache. Same rules as schemas.ts:
 * they describe what the routes answer (and tests check that they do), they never filter.
 *
 * @example app.get('/admin/endpoints', { schema: { summary: 'List endpoints', response: { 200: EndpointList } }, config }, …)
 */
import { Type } from '@sinclair/typebox';
import { Nullable } from './schemas.ts';

const Time = Type.String({ description: 'ISO 8601 time, UTC' });

const EndpointFields = {
  id: Type.Integer(),
  method: Type.String({ description: 'GET, POST, PUT, PATCH, DELETE or ANY' }),
  path: Type.String({ description: 'the pattern below /{cenv}/api: `/posts/:id`, `/files/*rest`' }),
  access: Type.Union([Type.Literal('public'), Type.Literal('user'), Type.Literal('admin')]),
  run_as: Type.Union([Type.Literal('caller'), Type.Literal('owner')]),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  updated_at: Time,
};
export const EndpointList = Type.Object({ endpoints: Type.Array(Type.Object(EndpointFields)) }, { description: 'every endpoint, by path' });
export const Endpoint = Type.Object({
  ...EndpointFields,
  source: Type.String({ description: 'the Starlark source' }),
  created_at: Time,
  created_by: Nullable(Type.String()),
  updated_by: Nullable(Type.String()),
}, { description: 'the endpoint with its source' });

export const VersionList = Type.Object({
  versions: Type.Array(Type.Object({
    version: Type.Integer(), created_at: Time, created_by: Nullable(Type.String()), size: Type.Integer({ description: 'bytes of source' }),
  })),
}, { description: 'versions, newest first' });
export const Version = Type.Object({
  version: Type.Integer(),
  created_at: Time,
  created_by: Nullable(Type.String()),
  size: Type.Integer(),
  source: Type.String(),
  meta: Type.Optional(Nullable(Type.Record(Type.String(), Type.Unknown(), { description: "a template version's path, syntax, queries, content type" }))),
}, { description: 'one version with its source' });

const RunError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  backtrace: Type.Optional(Nullable(Type.String())),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
});
export const TestRun = Type.Object({
  status: Type.Integer(),
  headers: Type.Record(Type.String(), Type.String()),
  body: Type.Unknown({ description: 'the body the endpoint answered, as text' }),
  logs: Type.Array(Type.String(), { description: 'what print() wrote' }),
  error: Type.Optional(RunError),
  duration_ms: Type.Number(),
  steps: Type.Integer(),
}, { description: 'what the endpoint would have answered (the run was rolled back)' });
export const RunList = Type.Object({
  runs: Type.Array(Type.Object({
    at: Time, request_id: Type.String(), method: Type.String(), path: Type.String(), status: Type.Integer(),
    duration_ms: Type.Number(), steps: Type.Integer(), version: Nullable(Type.Integer()), user: Nullable(Type.String()),
    logs: Type.Array(Type.String()), error: Nullable(RunError),
  })),
}, { description: 'the latest runs, newest first (kept in memory)' });

const ModuleFields = { name: Type.String({ description: 'path-like, ends in .star: `lib/util.star`' }), version: Type.Integer(), size: Type.Integer(), updated_at: Time };
export const ModuleList = Type.Object({ modules: Type.Array(Type.Object(ModuleFields)) }, { description: 'every module' });
export const ScriptModule = Type.Object({
  ...ModuleFields, source: Type.String(), created_at: Time, created_by: Nullable(Type.String()), updated_by: Nullable(Type.String()),
}, { description: 'the module with its source' });
/** `GET /admin/modules/{name}…`: a module, its versions or one version, by the URL's tail. */
export const ModuleOrVersions = Type.Union([ScriptModule, VersionList, Version], {
  description: '`{name}`: the module; `{name}/versions`: its versions; `{name}/versions/{n}`: one version',
});

const PageQuery = Type.Object({ sql: Type.String(), first: Type.Boolean(), required: Type.Boolean() });
const TemplateFields = {
  id: Type.Integer(),
  path: Type.String({ description: 'the pattern below /{cenv}/pages: `index`, `posts/:id`, `_partial`' }),
  syntax: Type.Union([Type.Literal('liquid'), Type.Literal('markdown')]),
  queries: Type.Record(Type.String(), PageQuery, { description: 'named queries; each becomes a variable' }),
  content_type: Type.String(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  created_at: Time,
  updated_at: Time,
  updated_by: Nullable(Type.String()),
};
export const TemplateList = Type.Object({ templates: Type.Array(Type.Object(TemplateFields)) }, { description: 'every template (without sources)' });
export const Template = Type.Object({ ...TemplateFields, source: Type.String() }, { description: 'the template with its source' });

export const Preview = Type.Object({
  html: Type.String({ description: 'the rendered text; show it in a sandboxed iframe' }),
  status: Type.Integer(),
  reads: Type.Array(Type.String(), { description: 'tables the render read' }),
  duration_ms: Type.Number(),
  not_found: Type.Boolean(),
  error: Type.Optional(Type.Object({ message: Type.String(), line: Nullable(Type.Integer()), query: Nullable(Type.String()) })),
}, { description: 'the render of the unsaved text (nothing was stored)' });

export const PageList = Type.Object({
  pages: Type.Array(Type.Object({
    path: Type.String(), template_id: Type.Integer(), template_version: Type.Integer(), status: Type.Integer(),
    rendered_at: Nullable(Time), reads: Type.Array(Type.String()), etag: Nullable(Type.String()), bytes: Type.Integer(),
    error: Nullable(Type.String()), error_at: Nullable(Time),
  })),
}, { description: 'every cached page' });
export const Queued = Type.Object({ queued: Type.Integer({ minimum: 0 }) }, { description: 'pages queued for a re-render' });
