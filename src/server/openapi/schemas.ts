/**
 * Response schemas shared by the route files, so the OpenAPI document (/openapi.json) says
 * what each route answers. They describe; they do not filter: responses are serialized with
 * JSON.stringify whatever the schema says (response-check.ts), so a field missing here is a
 * documentation bug, never a vanished field. Tests check real answers against them.
 *
 * Objects allow properties beyond those listed (a client must ignore what it does not know).
 * Schemas of the app-building features (endpoints, modules, templates, pages) are in
 * app-schemas.ts.
 *
 * @example app.get('/sessions', { schema: { summary: 'Your sessions', response: { 200: SessionList } }, config }, …)
 */
import { Type, type TSchema } from '@sinclair/typebox';

/** `T` or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Id = Type.String({ description: 'a UUID' });
const Time = Type.String({ description: 'ISO 8601 time, UTC' });
const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('user')]);

/** The one error shape every failure has. */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'WCE_ERR_…, one of the codes listed with each response' }),
    message: Type.String({ description: 'what was wrong, in a sentence' }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'positions, limits or causes, when the code has them' })),
  }),
}, { description: 'an error' });

/** An answer whose body is HTML (a page a tenant wrote, or one of WCE's own). */
export const Html = (description: string) => ({ description, content: { 'text/html': { schema: Type.String() } } });

/** No body. */
export const NoContent = (description: string) => Type.Null({ description });

export const Status = Type.Object({ status: Type.String({ examples: ['ok'] }) }, { description: 'the server answers' });
export const Ok = Type.Object({ ok: Type.Literal(true) }, { description: 'done' });
export const PasswordChanged = Type.Object({
  changed: Type.Literal(true),
  other_sessions_ended: Type.Integer({ description: 'your sessions elsewhere that were ended; this one stays' }),
}, { description: 'the new password is in force' });
export const Revoked = Type.Object({ revoked: Type.Integer({ minimum: 0 }) }, { description: 'how many sessions ended' });

export const CreatedCenv = Type.Object({
  cenv_id: Id,
  cenv_url: Type.String({ description: 'where the new cenv lives' }),
  name: Type.Optional(Type.String()),
  owner: Type.Optional(Type.Object({ id: Id, username: Type.String() }, { description: "a clone: the file's owner, now you" })),
  cloned: Type.Optional(Type.Literal(true)),
}, { description: 'the cenv was created; you are its owner' });

/**
 * A body that is a file (an exported cenv): raw, or multipart with text fields. Documented
 * only (`schema.documentBody`): the route reads the stream itself, so nothing validates it.
 */
export function fileBody(what: string, fields: Record<string, TSchema> = {}): Record<string, unknown> {
  return {
    'application/vnd.sqlite3': { schema: { type: 'string', contentMediaType: 'application/vnd.sqlite3', description: `${what} (also application/x-sqlite3, application/octet-stream); the password in x-wce-password` } },
    'multipart/form-data': { schema: Type.Object({ file: Type.String({ contentMediaType: 'application/vnd.sqlite3', description: what }), ...fields }) },
  };
}

/** `POST /new`: the owner's account as JSON, or an exported cenv file to copy. */
export function newCenvBody(json: TSchema): Record<string, unknown> {
  return {
    content: {
      'application/json': { schema: json },
      ...fileBody('an exported cenv file to copy', {
        password: Type.String({ description: "the file's owner password" }), name: Type.Optional(Type.String({ description: 'the copy\'s name' })),
      }),
    },
  };
}

export const PublicUser = Type.Object({ id: Id, username: Type.String(), role: Role });

export const LoginResult = Type.Object({
  token: Type.String({ description: 'a bearer token (JWT) for `Authorization: Bearer …`' }),
  expires_at: Time,
  csrf_token: Type.String({ description: 'send it as `x-csrf-token` with cookie-authenticated changes' }),
  user: PublicUser,
}, { description: 'a session: the token, and the wce_session and wce_csrf cookies' });

const SessionFields = {
  id: Type.String(), created_at: Time, expires_at: Time, last_used: Time,
  ip: Nullable(Type.String()), user_agent: Nullable(Type.String()),
  current: Type.Boolean({ description: 'the session this request came with' }),
};
export const SessionList = Type.Object({ sessions: Type.Array(Type.Object(SessionFields)) }, { description: 'active sessions, newest first' });

export const Prefs = Type.Object({
  prefs: Type.Object({
    vim_mode: Type.Boolean(),
    theme: Type.Union([Type.Literal('system'), Type.Literal('light'), Type.Literal('dark')]),
  }),
}, { description: 'every preference, after the change' });

const Column = Type.Object({ name: Type.String(), type: Type.String(), notnull: Type.Boolean(), pk: Type.Boolean() });
export const SchemaTables = Type.Object({
  tables: Type.Array(Type.Object({
    name: Type.String(),
    type: Type.Union([Type.Literal('table'), Type.Literal('view'), Type.Literal('virtual')]),
    columns: Type.Array(Column),
  })),
}, { description: 'the tables and views the caller may read' });

/** A SQL value in JSON: see docs/api.md, "Values in JSON". */
const SqlValue = Type.Unknown({ description: 'a number, text, null, or {"$int": "…"} / {"$real": "…"} / {"$blob": "base64"}' });
const StatementResult = Type.Object({
  columns: Type.Array(Type.String()),
  rows: Type.Array(Type.Array(SqlValue), { description: 'one array per row, in `columns` order' }),
  changes: Type.Integer({ description: 'rows written' }),
  last_insert_rowid: Type.Unknown({ description: 'the rowid an INSERT added, else 0' }),
  truncated: Type.Boolean({ description: 'more rows were available than `max_rows` (or 32 MB)' }),
});
export const SqlResult = Type.Union([
  StatementResult,
  Type.Object({ results: Type.Array(StatementResult, { description: 'one result per statement of the batch' }) }),
], { description: 'the result of the statement, or of each statement of a batch' });

const UserFields = {
  id: Id, username: Type.String(), role: Role, enabled: Type.Boolean(), created_at: Time, last_login: Nullable(Time),
};
export const User = Type.Object(UserFields, { description: 'the user' });
export const UserList = Type.Object({
  users: Type.Array(Type.Object({ ...UserFields, active_sessions: Type.Integer({ minimum: 0 }) })),
}, { description: 'every user of the cenv' });
export const Transferred = Type.Object({
  owner: User,
  previous_owner: Type.Object({ id: Id, role: Type.Literal('admin') }),
  note: Type.String(),
}, { description: 'the new owner; both of you were logged out' });

const Operation = Type.Union(['select', 'insert', 'update', 'delete'].map((op) => Type.Literal(op)));
export const Permission = Type.Object({
  id: Type.Integer(),
  table: Type.String(),
  role: Nullable(Type.String()),
  user_id: Nullable(Type.String()),
  operations: Type.Array(Operation),
  created_at: Time,
}, { description: 'a grant' });
export const PermissionList = Type.Object({ permissions: Type.Array(Permission) }, { description: 'every grant' });

export const Policy = Type.Object({
  id: Type.Integer(),
  table: Type.String(),
  name: Type.String(),
  commands: Type.Array(Type.String()),
  roles: Type.Array(Type.String()),
  using: Nullable(Type.String()),
  check: Nullable(Type.String()),
  kind: Type.Union([Type.Literal('permissive'), Type.Literal('restrictive')]),
}, { description: 'a row policy' });
export const PolicyList = Type.Object({ policies: Type.Array(Policy) }, { description: 'every row policy' });

export const Explained = Type.Object({
  statement: Type.String({ description: 'select, insert, update, delete or other' }),
  as_user: Type.Unknown(),
  rewritten: Nullable(Type.String()),
  grants: Type.Array(Type.Object({ table: Type.String(), operation: Type.String(), allowed: Type.Boolean() })),
  policies: Type.Array(Type.Unknown()),
  result: Type.Unknown(),
  error: Type.Unknown(),
  hidden: Type.Array(Type.Unknown(), { description: 'rows the user misses, each with the policies that hid it' }),
  hidden_total: Type.Integer(),
  notes: Type.Array(Type.String()),
}, { description: 'what the statement does for that user, and why rows are missing' });

export const PolicyPreview = Type.Object({
  table: Type.String(),
  principals: Type.Array(Type.Object({
    user: Type.Object({ id: Nullable(Type.String()), username: Nullable(Type.String()), role: Type.String() }),
    before: Type.Integer(), after: Type.Integer(), gained: Type.Integer(), lost: Type.Integer(),
  })),
  truncated: Type.Boolean(),
  note: Type.String(),
}, { description: 'who would see more or fewer rows with the draft' });

const AuditEntry = Type.Object({
  id: Type.Integer(), at: Time, user_id: Nullable(Type.String()), username: Nullable(Type.String()), action: Type.String(),
  table: Nullable(Type.String()), row_count: Nullable(Type.Integer()), statement: Nullable(Type.String()), detail: Type.Unknown(),
  ip: Nullable(Type.String()),
});
export const Overview = Type.Object({
  id: Id,
  name: Nullable(Type.String()),
  url: Type.String(),
  created_at: Time,
  size: Type.Object({ bytes: Type.Integer(), free_bytes: Type.Integer(), max_bytes: Type.Integer() }),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'users, tables, views, endpoints, templates, pages' }),
  tables: Type.Array(Type.Object({ name: Type.String(), type: Type.String(), rows: Nullable(Type.Integer()) })),
  audit: Type.Array(AuditEntry, { description: 'the 20 newest audit entries' }),
}, { description: "the dashboard's data" });

/** A stream of server-sent events. */
export const ServerSentEvents = {
  description: 'server-sent events: ready, snapshot, change, leave, reload, revoked, reset, message (docs/api.md)',
  content: { 'text/event-stream': { schema: Type.String() } },
};
