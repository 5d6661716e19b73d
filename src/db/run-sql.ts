/**
 * The body of `POST /{cenv}/sql`, run inside a sandbox child: one statement, or a batch of
 * statements in one transaction (any failure rolls every one of them back). Returns the JSON
 * reply text, built here so the main process can send it without parsing it again, and what
 * was committed, for the commit hooks.
 */
import type { Principal } from '../auth/principal.ts';
import { ValidationError } from '../errors.ts';
import type { TenantConnection } from './connection.ts';
import { TenantDb, type RequestContext, type TenantDbOptions, type Write } from './tenant-db.ts';

export interface SqlStatement { sql: string; params?: unknown }
/** Either `sql` (+ `params`) or `statements`, as the route's schema allows. */
export interface SqlRequest { sql?: string; params?: unknown; statements?: SqlStatement[] }
export interface SqlReply { body: string; writes: Write[]; reads: string[] }

/** Prefixes a failing batch statement's message with its index, keeping its class and status. */
function atIndex<T>(index: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Error) error.message = `statements[${index}]: ${error.message}`;
    throw error;
  }
}

/**
 * Runs one SQL API request as `principal` (bounded by `options`, by default the cenv's settings).
 * @example runSqlRequest(conn, principal, { ip }, { sql: 'SELECT 1' }).body
 *          // '{"columns":["1"],"rows":[[1]],"changes":0,"last_insert_rowid":0,"truncated":false}'
 */
export function runSqlRequest(conn: TenantConnection, principal: Principal, context: RequestContext, request: SqlRequest, options?: TenantDbOptions): SqlReply {
  const tdb = new TenantDb(conn, principal, context, options);
  let body: string;
  if (request.statements !== undefined) {
    const statements = request.statements;
    if (statements.length === 0) throw new ValidationError('statements must hold at least one statement');
    const results = tdb.transaction(() => statements.map((s, i) => atIndex(i, () => tdb.run(s.sql, s.params))));
    body = JSON.stringify({ results });
  } else if (typeof request.sql === 'string') {
    body = JSON.stringify(tdb.run(request.sql, request.params));
  } else {
    throw new ValidationError('send either "sql" or "statements"');
  }
  return { body, writes: tdb.committed, reads: [...tdb.reads] };
}
