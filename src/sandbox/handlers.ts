/**
 * The child side of an op: what a handler receives and returns. Handlers live with their
 * feature (src/db/sql-op.ts, src/endpoints/, src/pages/) and are listed in the table of
 * src/child.ts; `OpHandlers` makes that table complete and its payloads typed, so a handler
 * never casts `unknown`.
 *
 * @example
 *   export const sqlHandler: OpHandler<'sql'> = { run: (ctx, payload) => runSqlRequest(ctx, payload) };
 */
import type { Principal } from '../auth/principal.ts';
import type { Settings } from '../cenv/settings.ts';
import type { TenantConnection } from '../db/connection.ts';
import type { CenvCache } from './cenv-cache.ts';
import type { OpName, PayloadOf, ReplyOf, RequestContext } from './protocol.ts';

/** Everything one unit of work runs with. */
export interface OpContext {
  /** The cenv's connection in this child, with the access guard installed. */
  conn: TenantConnection;
  principal: Principal;
  context: RequestContext;
  /** The cenv's settings as they are now (re-read when another connection committed). */
  settings: Settings;
  /** Compiled scripts, parsed templates: per cenv, keyed by version. */
  cache: CenvCache;
  /** `Date.now()` past which the op must stop: the cooperative half of its time limit. */
  deadline: number;
  /** The op's time limit in ms (for messages that name it). */
  timeoutMs: number;
  /** Writes a line to the server's log, carrying the request id, cenv and op. */
  log(level: 'error' | 'warn' | 'info', message: string, details?: Record<string, unknown>): void;
}

export interface OpHandler<K extends OpName> {
  /** false: the op works on a file of its own and never touches `conn`, `cache` or `settings` (the cenv is not opened). */
  opensCenv?: false;
  run(ctx: OpContext, payload: PayloadOf<K>): ReplyOf<K>;
}

/** One handler per op; src/child.ts builds it and the child runtime serves it. */
export type OpHandlers = { readonly [K in OpName]: OpHandler<K> };
