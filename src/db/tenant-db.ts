/**
 * The internal database API: tenant SQL run under one principal on one connection, with
 * bound parameters, a deadline, row and size caps, transactions (nested ones are savepoints)
 * and the audit log. The SQL API and Starlark endpoints both run through here.
 *
 * Every write lands in `_wce_audit_log` inside the same transaction as the write, so a
 * rolled-back write leaves no audit row. The rows are written just before COMMIT rather than
 * after each statement: an audit insert in between would replace the tenant's own
 * `last_insert_rowid()` and `changes()` for the next statement of a batch (and show it the
 * audit log's rowids). A write outside an explicit transaction gets one of
 * its own. `committed` lists what was written once the outermost transaction commits; the
 * sandbox sends it to the main process, which runs the commit hooks.
 */
import type { SQLOutputValue, StatementSync } from 'node:sqlite';
import type { Principal } from '../auth/principal.ts';
import type { SettingKey, Settings } from '../cenv/settings.ts';
import { PayloadTooLargeError, TimeoutError } from '../errors.ts';
import { audit, type AuditEntry } from './audit.ts';
import type { TenantConnection } from './connection.ts';
import type { GatedStatement } from './gate.ts';
import { mainEffect, type Effect } from './effects.ts';
import { MAX_RESULT_BYTES } from './limits.ts';
import { columnNames } from './statement-columns.ts';
import { isBusy, toClientError } from './sqlite-errors.ts';
import { decodeParams, encodeRow, type BoundParams } from './values.ts';

/** Where the request came from, for the audit log and the logs. */
export interface RequestContext { ip?: string | null; userAgent?: string | null; requestId?: string }

/** How one TenantDb is bounded; every field defaults from the connection's settings. */
export interface TenantDbOptions {
  settings?: Settings;
  /** `Date.now()` past which statements stop; default now + sql_timeout_ms. */
  deadline?: number;
  /** The setting named when the deadline passes. */
  limitName?: SettingKey;
  /** Rows in node:sqlite's types (bigint INTEGER, Uint8Array BLOB), not the JSON forms: for Starlark. */
  rawValues?: boolean;
}

/** How a top-level transaction starts and ends. */
export interface TransactionOptions {
  /** `immediate` (default) locks for writing at BEGIN; `deferred` at the first write (see `lockConflict`). */
  mode?: 'immediate' | 'deferred';
  /** Roll back instead of committing, even when `fn` returns (a test run that leaves no trace). */
  rollback?: boolean;
}

/** One statement's result, exactly as the SQL API returns it. */
export interface StatementResult {
  columns: readonly string[];
  rows: unknown[][];
  changes: number;
  last_insert_rowid: number | { $int: string };
  truncated: boolean;
}

/** One write that committed; `rows` is null where it is not known (DDL, a trigger's writes). */
export interface Write { table: string | null; action: string; rows: number | null }

/** How often (in rows) a long result checks the clock. */
const CLOCK_EVERY = 256;

function runWith(stmt: StatementSync, bound: BoundParams): { changes: number | bigint; lastInsertRowid: number | bigint } {
  return 'named' in bound ? stmt.run(bound.named) : stmt.run(...bound.positional);
}

function iterateWith(stmt: StatementSync, bound: BoundParams): Iterator<SQLOutputValue[]> {
  const it = 'named' in bound ? stmt.iterate(bound.named) : stmt.iterate(...bound.positional);
  return it as unknown as Iterator<SQLOutputValue[]>;
}

function rowidJson(rowid: number | bigint): number | { $int: string } {
  return Number.isSafeInteger(Number(rowid)) ? Number(rowid) : { $int: rowid.toString() };
}

export class TenantDb {
  /** Writes of committed transactions, oldest first. */
  readonly committed: Write[] = [];
  private readonly conn: TenantConnection;
  private readonly principal: Principal;
  private readonly context: RequestContext;
  /** Tenant tables and views the statements read (lower-case), for page caching. */
  readonly reads = new Set<string>();
  readonly settings: Settings;
  private readonly deadline: number;
  private readonly limitName: SettingKey;
  private readonly rawValues: boolean;
  private readonly pending: Write[] = [];
  /** Audit rows of the open transaction, written just before it commits. */
  private readonly audits: AuditEntry[] = [];
  private depth = 0;
  /** A statement in a transaction met SQLITE_BUSY (in a `deferred` one: a stale snapshot; redo it `immediate`). */
  lockConflict = false;

  /**
   * @example const tdb = new TenantDb(conn, principal, { ip: '127.0.0.1' });
   *          tdb.transaction(() => tdb.run('INSERT INTO posts (title) VALUES (?)', ['hi']));
   */
  constructor(conn: TenantConnection, principal: Principal, context: RequestContext = {}, options: TenantDbOptions = {}) {
    this.conn = conn;
    this.principal = principal;
    this.context = context;
    // A TenantDb is one request's view of the connection: start the request unless the
    // caller (the sandbox runtime) already did and passes the settings it got.
    this.settings = options.settings ?? conn.beginRequest();
    this.limitName = options.limitName ?? 'sql_timeout_ms';
    this.deadline = options.deadline ?? Date.now() + this.settings.sql_timeout_ms;
    this.rawValues = options.rawValues ?? false;
  }

  /**
   * Runs one statement and returns its result; rows past `maxRows` are not read. A write
   * outside a transaction gets a transaction of its own, for its audit row.
   * @example tdb.run('SELECT * FROM posts WHERE author = :a', { a: 'u1' }).rows
   */
  run(sql: string, params?: unknown, maxRows: number = this.settings.max_rows): StatementResult {
    return this.runBound(sql, decodeParams(params), maxRows);
  }

  /**
   * `run` with values already in node:sqlite's types (bigint binds INTEGER, number REAL).
   * @example tdb.runBound('SELECT * FROM t WHERE x = ?', { positional: [1.0] }) // binds a REAL
   */
  runBound(sql: string, bound: BoundParams, maxRows: number = this.settings.max_rows): StatementResult {
    this.checkClock();
    const { gate } = this.conn;
    try {
      return gate.runAs(this.principal, () => {
        const prepared = gate.prepare(sql, this.principal);
        for (const table of prepared.reads) this.reads.add(table.toLowerCase());
        if (prepared.writes.length === 0 && !prepared.ddl) return this.step(prepared.stmt, bound, maxRows, null);
        this.conn.markDirty();
        const write = () => this.write(sql, prepared, bound, maxRows);
        return this.depth > 0 ? write() : this.transaction(write);
      });
    } catch (error) {
      if (this.depth > 0 && isBusy(error)) this.lockConflict = true;
      throw this.clientError(error);
    }
  }

  /** Rows of a read, as arrays in column order. */
  query(sql: string, params?: unknown): { columns: readonly string[]; rows: unknown[][]; truncated: boolean } {
    const { columns, rows, truncated } = this.run(sql, params);
    return { columns, rows, truncated };
  }

  /** A write's row count and new rowid. */
  execute(sql: string, params?: unknown): { changes: number; lastInsertRowid: number | { $int: string } } {
    const result = this.run(sql, params);
    return { changes: result.changes, lastInsertRowid: result.last_insert_rowid };
  }

  /**
   * Runs `fn` atomically: commits when it returns, rolls back when it throws (and rethrows).
   * Nested calls become savepoints, so an inner failure that the caller catches undoes only
   * the inner part. `options` apply to the outermost transaction only.
   * @example tdb.transaction(() => { tdb.run(a); tdb.transaction(() => tdb.run(b)); })
   * @example tdb.transaction(() => runTest(tdb), { rollback: true }) // never commits
   */
  transaction<T>(fn: () => T, options: TransactionOptions = {}): T {
    const mark = this.pending.length;
    const auditMark = this.audits.length;
    const savepoint = `wce_sp_${this.depth}`;
    const begin = options.mode === 'deferred' ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE';
    this.conn.system(this.depth === 0 ? begin : `SAVEPOINT ${savepoint}`);
    this.depth++;
    let value: T;
    try {
      value = fn();
      if (value instanceof Promise) throw new TypeError('transaction callbacks must be synchronous');
    } catch (error) {
      this.depth--;
      this.undo(savepoint);
      this.pending.length = mark;
      this.audits.length = auditMark;
      throw error;
    }
    this.depth--;
    if (this.depth > 0) {
      this.conn.system(`RELEASE ${savepoint}`);
      return value;
    }
    if (options.rollback) {
      this.undo(savepoint);
      this.pending.length = 0;
      this.audits.length = 0;
      return value;
    }
    try {
      this.conn.gate.trusted(() => {
        for (const entry of this.audits) audit(this.conn.db, entry);
      });
      this.audits.length = 0;
      this.conn.system('COMMIT');
    } catch (error) {
      this.undo(savepoint);
      this.pending.length = 0;
      this.audits.length = 0;
      throw this.clientError(error);
    }
    this.committed.push(...this.pending);
    this.pending.length = 0;
    return value;
  }

  /** Throws the timeout error once the deadline has passed (the cooperative half of it). */
  checkClock(): void {
    if (Date.now() > this.deadline) {
      throw new TimeoutError(`the request ran longer than the ${this.settings[this.limitName]} ms limit; ` +
        `simplify it or raise ${this.limitName} in the cenv configuration`);
    }
  }

  /** Runs a statement that writes, then audits it and remembers what it wrote. */
  private write(sql: string, prepared: GatedStatement, bound: BoundParams, maxRows: number): StatementResult {
    const main = mainEffect(sql, prepared);
    const result = this.step(prepared.stmt, bound, maxRows, prepared.ddl ? null : main);
    const rows = prepared.ddl ? null : result.changes;
    this.audits.push({
      action: main.action,
      userId: this.principal.userId,
      username: this.principal.username,
      table: main.table,
      rowCount: rows,
      statement: sql,
      ip: this.context.ip ?? null,
      userAgent: this.context.userAgent ?? null,
    });
    if (prepared.ddl) this.pending.push({ table: main.table, action: main.action, rows: null });
    // Tables a trigger wrote are reported too (pages built from them are stale), count unknown.
    for (const { table, operations } of prepared.writes) {
      for (const action of operations) {
        const own = table.toLowerCase() === main.table?.toLowerCase() && action === main.action;
        this.pending.push({ table, action, rows: own ? rows : null });
      }
    }
    return result;
  }

  /**
   * Steps a prepared statement. `main` is the write it performs (null for reads and DDL),
   * which decides whether changes and the new rowid are reported.
   */
  private step(stmt: StatementSync, bound: BoundParams, maxRows: number, main: Effect | null): StatementResult {
    stmt.setReturnArrays(true);
    stmt.setReadBigInts(true);
    const columns = columnNames(stmt);
    const inserts = main?.action === 'insert';
    if (columns.length === 0) {
      const { changes, lastInsertRowid } = runWith(stmt, bound);
      const count = main ? Number(changes) : 0;
      return { columns: [], rows: [], changes: count, last_insert_rowid: inserts && count > 0 ? rowidJson(lastInsertRowid) : 0, truncated: false };
    }
    const { rows, truncated } = this.collect(iterateWith(stmt, bound), maxRows);
    // A write with RETURNING has made all its changes by its first row (SQLite buffers them).
    const after = main ? this.conn.changes() : { changes: 0, lastInsertRowid: 0n };
    return {
      columns,
      rows,
      changes: after.changes,
      last_insert_rowid: inserts && after.changes > 0 ? rowidJson(after.lastInsertRowid) : 0,
      truncated,
    };
  }

  private collect(it: Iterator<SQLOutputValue[]>, maxRows: number): { rows: unknown[][]; truncated: boolean } {
    const rows: unknown[][] = [];
    let bytes = 0;
    try {
      for (let step = it.next(); !step.done; step = it.next()) {
        if (rows.length >= maxRows) return { rows, truncated: true };
        // The row being added counts: a result never grows past the budget, not even by its first row.
        bytes += encodeRow(step.value, !this.rawValues);
        if (bytes > MAX_RESULT_BYTES) {
          if (rows.length > 0) return { rows, truncated: true };
          throw new PayloadTooLargeError(`one row is larger than the ${MAX_RESULT_BYTES / (1024 * 1024)} MB result limit; select smaller values (e.g. substr() or length())`);
        }
        rows.push(step.value);
        if (rows.length % CLOCK_EVERY === 0) this.checkClock();
      }
      return { rows, truncated: false };
    } finally {
      // Resets the statement so the connection holds no open read.
      it.return?.();
    }
  }

  private undo(savepoint: string): void {
    // SQLite may already have rolled the whole transaction back (SQLITE_FULL, NOMEM, BUSY).
    if (!this.conn.db.isTransaction) return;
    this.conn.system(this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
  }

  private clientError(error: unknown): Error {
    return this.conn.gate.explain(error) ?? toClientError(error, { maxDbBytes: this.settings.max_db_bytes });
  }
}
