/**
 * Every message between the main process and a sandbox child, typed per op in one map.
 *
 * An op is one kind of tenant work (a SQL API request, an endpoint run, a page render). Its
 * payload goes down in a `job`; its reply comes back with the HTTP-shaped result (`status`,
 * `headers`, `body`) and the `effects` of the work: the tables it wrote (committed only) and
 * the tables it read, as the authorizer saw them. The pool hands effects to its caller, which
 * passes them to the commit-event bus; the pool itself fires nothing.
 *
 * Adding an op: add its payload and reply to `SandboxOps`, its time-limit setting to
 * `OP_TIME_LIMITS`, and its handler to the table in src/child.ts (docs/dev/sandbox.md).
 * Errors travel as {code, status, message, details?} and become WCE's named errors again.
 */
import type { Principal } from '../auth/principal.ts';
import type { SettingKey } from '../cenv/settings.ts';
import type { InspectInfo } from '../cenv/inspect.ts';
import type { RequestContext, Write } from '../db/tenant-db.ts';
import type { Params } from '../db/values.ts';
import type { ChangedRows } from '../db/capture.ts';
import { errorForCode } from '../errors.ts';

export type { RequestContext, Write, InspectInfo };

/** What a unit of work did to the cenv's tables. */
export interface Effects {
  /** Committed writes, one entry per table and kind of change (nothing for a rollback). */
  writes: Write[];
  /** Tenant tables (and views) the work read, lower-case, each once. */
  reads: string[];
  /** The changed rows' keys per table, when the job asked for them (someone listens: src/events). */
  changes?: ChangedRows[];
}

/** The part every op's reply shares. */
export interface OpReply {
  status: number;
  headers?: Record<string, string>;
  /** The response body, already encoded (JSON text, HTML, …). */
  body: string;
  effects: Effects;
}

// --- sql: POST /{cenv}/sql -------------------------------------------------------------

export interface SqlStatement { sql: string; params?: Params }
/** Either `sql` (+ `params`) or `statements` (a batch run atomically). */
export interface SqlPayload { sql?: string; params?: Params; statements?: SqlStatement[] }

// --- endpoint: /{cenv}/api/… (src/endpoints) -------------------------------------------

/** The `req` a Starlark endpoint's handle() receives, as plain data. */
export interface ScriptRequest {
  method: string;
  path: string;
  /** Values of the path pattern's `:name` and `*name` segments. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-case names; never cookie or authorization. */
  headers: Record<string, string>;
  body: string;
  user: { id: string; username: string; role: string } | null;
}

export interface EndpointPayload {
  /** A saved endpoint: its id and the version the main process routed to (cache key). */
  endpoint?: { id: number; version: number };
  /** Unsaved source (the editor's Test button): runs in a transaction that is always rolled back. */
  test?: { source: string };
  request: ScriptRequest;
}

/** Why a run failed: the status and code it is answered with, and where in the script. */
export interface ScriptFailure {
  status: number;
  code: string;
  message: string;
  /** The Starlark traceback (`Traceback (most recent call last): …`), when it failed in Starlark. */
  backtrace: string | null;
  line?: number;
  column?: number;
  /** The code of the database error behind a refused query (`WCE_ERR_FORBIDDEN`, …). */
  cause?: string;
}

/** What one endpoint run leaves in its log. A failed run replies with `error` set (not a wire error). */
export interface RunLog {
  prints: string[];
  error: ScriptFailure | null;
  steps: number;
  durationMs: number;
  /** What the run published with events.publish (delivered only when it committed). */
  published?: Array<{ channel: string; value: unknown }>;
}

// --- render: /{cenv}/pages/… (src/pages) -----------------------------------------------

export type TemplateSyntax = 'liquid' | 'markdown';

/** One named query of a template, as stored (src/pages/query-spec.ts). */
export interface PageQuery {
  sql: string;
  /** The template gets the first row (or nil) rather than the list of rows. */
  first: boolean;
  /** No row makes the page a 404. */
  required: boolean;
}

/** A template's text as the editor holds it: saved or not. */
export interface TemplateText {
  /** The path pattern (`posts/:id`): its parameters are what the queries may bind. */
  path: string;
  syntax: TemplateSyntax;
  source: string;
  queries: Record<string, PageQuery>;
  /** What the page is served as; markup types escape `{{ value }}`, data types do not. */
  contentType: string;
}

/** Values every template sees as `site`. */
export interface SiteInfo {
  /** `/{cenv}` as links should start (the cenv's name when it has one). */
  root: string;
}

/**
 * Three kinds of render job: a saved template for the page cache (`page`), unsaved text for
 * the editor's live preview (`preview`), and a check of text about to be saved (`check`:
 * parse the template, prepare its queries as the saving user, nothing runs; a mistake is
 * thrown as a 400 with its line).
 */
export type RenderPayload =
  | { kind: 'page'; template: { id: number; version: number }; path: string; params: Record<string, string>; site: SiteInfo }
  | { kind: 'preview'; template: TemplateText; path: string; params: Record<string, string>; site: SiteInfo }
  | { kind: 'check'; template: TemplateText };

export interface RenderInfo {
  /** Why the render failed (template, query, limit), for the editor; null when it worked. */
  error: { message: string; line: number | null; query: string | null } | null;
  durationMs: number;
  /** True when a required query found nothing or the template ran {% not_found %} (404). */
  notFound: boolean;
  /** The template version rendered (a save may have landed after the job was queued). */
  version: number;
  /** Templates `{% include %}`d, by id, with the version used: their change refreshes the page. */
  includes: Record<string, number>;
}

// --- explain, policyPreview: the policy debugger (src/access) -------------------------

export interface ExplainPayload { sql: string; params?: Params; target: Principal }
export interface PolicyDraftPayload {
  id?: number; table: string; name: string; commands: Array<'select' | 'insert' | 'update' | 'delete' | 'all'>;
  roles: string[]; using: string | null; check: string | null; kind: 'permissive' | 'restrictive';
}

// --- eventRows, eventSnapshot: the event stream's reads (src/events) -------------------

/** Rows of one table by primary key, read as the subscriber (its grants and row policies). */
export interface EventRowsPayload { table: string; pk: string[]; keys: unknown[][] }
/** The first rows of one table (none for `limit: 0`: a check that the subscriber may read it), as the subscriber. */
export interface EventSnapshotPayload { table: string; limit: number }
/** Both ops answer `{rows: [{key, row}], truncated, pk}` as JSON; `key` in the pk's order. */

// --- inspect: an uploaded cenv file (import, clone; src/cenv/inspect.ts) ------------------

export interface InspectPayload {
  /** The uploaded copy, in the data directory; checked, migrated and cleaned in place. */
  file: string;
}

// --- the map ---------------------------------------------------------------------------

/** Every op: its payload and its reply. */
export interface SandboxOps {
  sql: { payload: SqlPayload; reply: OpReply };
  endpoint: { payload: EndpointPayload; reply: OpReply & { run: RunLog } };
  render: { payload: RenderPayload; reply: OpReply & { render: RenderInfo } };
  explain: { payload: ExplainPayload; reply: OpReply };
  policyPreview: { payload: PolicyDraftPayload; reply: OpReply };
  eventRows: { payload: EventRowsPayload; reply: OpReply };
  eventSnapshot: { payload: EventSnapshotPayload; reply: OpReply };
  inspect: { payload: InspectPayload; reply: OpReply & { inspect: InspectInfo } };
}

export type OpName = keyof SandboxOps;
export type PayloadOf<K extends OpName> = SandboxOps[K]['payload'];
export type ReplyOf<K extends OpName> = SandboxOps[K]['reply'];

/** The setting that bounds each op's time (the main process's hard deadline and the child's own). */
export const OP_TIME_LIMITS: { readonly [K in OpName]: SettingKey } = {
  sql: 'sql_timeout_ms',
  endpoint: 'starlark_timeout_ms',
  render: 'render_timeout_ms',
  explain: 'sql_timeout_ms',
  policyPreview: 'sql_timeout_ms',
  eventRows: 'sql_timeout_ms',
  eventSnapshot: 'sql_timeout_ms',
  inspect: 'sql_timeout_ms',
};

/** One unit of work, main process → child. */
export interface JobMessage<K extends OpName = OpName> {
  kind: 'job';
  id: number;
  op: K;
  cenvId: string;
  /** The cenv's generation: a child holding an older one reopens the file first. */
  generation: number;
  principal: Principal;
  context: RequestContext;
  /** The op's time limit in this cenv; the child stops cooperatively at it. */
  timeoutMs: number;
  /** Record the keys of the rows this job changes (the cenv has event-stream listeners). */
  capture?: boolean;
  payload: PayloadOf<K>;
}

/** Close the cenv's connection; `ack` asks the child to answer `evicted` once it has. */
export interface EvictMessage { kind: 'evict'; cenvId: string; generation: number; ack?: number }
/** Several messages written at once (src/sandbox/outbox.ts); handled in order. */
export interface BatchMessage { kind: 'batch'; messages: Array<JobMessage | EvictMessage> }
export type ParentMessage = JobMessage | EvictMessage | BatchMessage;

export interface WireError { code: string; status: number; message: string; details?: Record<string, unknown> }

/** A log line from a child, written by the main process's logger with the request's id. */
export interface LogMessage {
  kind: 'log';
  level: 'error' | 'warn' | 'info';
  message: string;
  requestId: string | null;
  cenvId: string;
  op: string;
  details?: Record<string, unknown>;
}

export type ChildMessage =
  | { kind: 'ready' }
  | { kind: 'evicted'; ack: number }
  | LogMessage
  | { kind: 'reply'; id: number; reply: OpReply }
  | { kind: 'error'; id: number; error: WireError };

/**
 * What a child sends for a failure. A client error keeps its code, status, message and
 * details; any other failure becomes a bare internal error (its stack goes to stderr).
 */
export function toWireError(error: unknown): WireError {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; details?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status === 500 || typeof e?.code !== 'string') {
    return { code: 'WCE_ERR_INTERNAL', status: 500, message: 'internal error in the sandbox' };
  }
  const details = e.details && typeof e.details === 'object' ? { details: e.details as Record<string, unknown> } : {};
  return { code: e.code, status, message: String(e.message), ...details };
}

/**
 * The named error for a wire error, so the server's error handler shapes it like any other.
 * @example throw fromWireError({ code: 'WCE_ERR_FORBIDDEN', status: 403, message: 'permission denied' })
 */
export function fromWireError(wire: WireError): Error {
  return errorForCode(wire.code, wire.status, wire.message, wire.details);
}
