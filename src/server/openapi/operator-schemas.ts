/**
 * Response schemas of the operator's routes (cluster status and handoff), which the operator
 * calls with WCE_METRICS_TOKEN rather than a cenv session. Same rules as schemas.ts: they
 * describe, never filter.
 *
 * @example app.get('/cluster', { schema: { ...OPERATOR, summary: '…', response: { 200: ClusterStatus } } }, …)
 */
import { Type } from '@sinclair/typebox';
import { Nullable } from './schemas.ts';

/** Route options of an operator route: its security scheme and the refusals it may answer with. */
export const OPERATOR = { security: [{ operator: [] }], errors: ['WCE_ERR_UNAUTHORIZED', 'WCE_ERR_FORBIDDEN'] } as const;

const CenvFigures = Type.Object({ id: Type.String(), token: Nullable(Type.String()), state: Type.String(), lag_ms: Type.Number(), inflight: Type.Integer() });

export const LocalStatus = Type.Object({
  node: Type.String(),
  draining: Type.Boolean(),
  lease_remaining_ms: Type.Number(),
  litestream_processes: Type.Integer(),
  forwarded: Type.Integer(),
  forward_failures: Type.Integer(),
  cenvs: Type.Array(CenvFigures),
}, { description: "this node's own figures" });

export const ClusterStatus = Type.Object({
  node: Type.String({ description: 'the node that answered' }),
  nodes: Type.Array(Type.Object({
    id: Type.String(), label: Type.String(), url: Type.String(), self: Type.Boolean(), reachable: Type.Boolean(), draining: Type.Boolean(),
    litestream_processes: Nullable(Type.Integer()), max_lag_ms: Nullable(Type.Number()),
    cenvs: Type.Array(Type.Object({ id: Type.String(), name: Nullable(Type.String()), token: Type.String(), state: Nullable(Type.String()), lag_ms: Nullable(Type.Number()) })),
  })),
  cenvs: Type.Object({ total: Type.Integer(), owned: Type.Integer(), unowned: Type.Integer() }),
}, { description: 'every node, the cenvs it owns with their fencing tokens, replication lag' });

export const Drained = Type.Union([
  Type.Object({ released: Type.String({ description: 'the cenv handed back' }) }),
  Type.Object({ draining: Type.Literal(true) }),
], { description: 'the cenv was handed back, or every cenv of this node' });
export const Resumed = Type.Object({ draining: Type.Literal(false) }, { description: 'the node takes cenvs again' });

/** `GET /{cenv}/admin/config`: every setting with its value, where it comes from and its bounds. */
export const SettingsList = Type.Object({
  settings: Type.Array(Type.Object({
    key: Type.String(),
    value: Type.Union([Type.Number(), Type.Array(Type.String())]),
    default: Type.Union([Type.Number(), Type.Array(Type.String())], { description: "the server's value" }),
    source: Type.Union([Type.Literal('cenv'), Type.Literal('env'), Type.Literal('default')]),
    type: Type.String(),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number({ description: 'the highest value this cenv may set (a ceiling of the server)' })),
    zero_means: Type.Optional(Type.Literal('no limit')),
    env: Type.Optional(Type.String()),
    env_role: Type.Optional(Type.Union([Type.Literal('default'), Type.Literal('ceiling')])),
    description: Type.String(),
  })),
}, { description: 'every setting of the cenv (docs/configuration.md)' });
export const SettingRemoved = Type.Object({ removed: Type.Boolean(), settings: SettingsList.properties.settings }, { description: 'the key has the server\'s value again' });

const AuditEntry = Type.Object({
  id: Type.Integer(), at: Type.String(), user_id: Nullable(Type.String()), username: Nullable(Type.String()), action: Type.String(),
  table: Nullable(Type.String()), row_count: Nullable(Type.Integer()), statement: Nullable(Type.String()), detail: Type.Unknown(),
  ip: Nullable(Type.String()), user_agent: Nullable(Type.String()),
});
/** `GET /{cenv}/admin/audit`: a page of entries, or (`?format=`) the whole filtered log as a download. */
export const AuditLog = {
  description: 'a page of entries, newest first (`?format=json` or `csv`: the whole filtered log, downloaded)',
  content: {
    'application/json': { schema: Type.Object({ entries: Type.Array(AuditEntry), next_cursor: Nullable(Type.String({ description: 'pass as ?cursor= for the next page' })) }) },
    'text/csv': { schema: Type.String() },
  },
};

/** `GET /{cenv}/admin/export`: the cenv as a file. */
export const ExportFile = {
  description: 'the whole cenv: a SQLite file, or (`?format=sql`) SQL text; named after the cenv and the time',
  content: {
    'application/vnd.sqlite3': { schema: Type.String({ contentMediaType: 'application/vnd.sqlite3' }) },
    'application/sql': { schema: Type.String() },
  },
};

export const Imported = Type.Object({
  imported: Type.Literal(true), bytes: Type.Integer(), tables: Type.Integer(), users: Type.Integer(),
  schema: Type.Object({ from: Type.Integer(), to: Type.Integer() }),
  owner: Type.Object({ id: Type.String(), username: Type.String() }),
  undo: Type.String(), note: Type.String(),
}, { description: 'the cenv now holds the file; every session has ended' });
export const ImportUndone = Type.Object({ restored: Type.Literal(true), note: Type.String() }, { description: 'the cenv is as it was before the import' });

/** `GET /metrics`. */
export const MetricsText = { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } };
