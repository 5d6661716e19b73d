/**
 * AccessGuard: the one entry point for running tenant SQL on a connection.
 *
 * @example
 *   const guard = new AccessGuard(db);            // once per connection
 *   const rows = guard.runAs(principal, () => {
 *     const { stmt } = guard.prepare('SELECT * FROM posts WHERE id = ?', principal);
 *     return stmt.all(7);                        // step inside runAs too
 *   });
 *   guard.trusted(() => db.exec('BEGIN IMMEDIATE')); // WCE's own SQL on this connection
 *
 * What `prepare` does, in order: reload access data and rebuild the TEMP policy objects when
 * another process changed them (state.ts, version.ts); refuse `_wce_` identifiers in any
 * quoting (tokens.ts) and anything but exactly one statement (parse.ts); for a user or an
 * anonymous caller, rewrite reads of policy-protected tables to the policy views of that role
 * and make UPDATE/DELETE pick rows through its DML views (rewrite.ts, barrier.ts); prepare
 * under the authorizer with the statement's principal (authorizer.ts). Run-time failures map
 * to named errors with `explain(error)`.
 *
 * Modes of the authorizer: `closed` (default: deny everything), `trusted` (WCE's own SQL),
 * `preparing` (decide with the statement's context), `running` (inside runAs: SQLite may
 * prepare while stepping — see `authorizer()`).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { constants as C } from 'node:sqlite';
import { isAdministrator, type Principal } from '../auth/principal.ts';
import { ForbiddenError, PolicyViolationError, SqlSyntaxError, ValidationError, withDetails } from '../errors.ts';
import { MAX_SQL_LENGTH } from '../db/connection.ts';
import { authorize, deniedMessage, newAuthRecord, type AuthRecord, type StatementContext } from './authorizer.ts';
import { RESERVED_NAMESPACE, reservedIdentifier } from './tokens.ts';
import { parseSql, singleStatement, dmlTarget, cteNames, replacesRows, errorPosition } from './parse.ts';
import { alteredTable } from './alter.ts';
import { rewriteStatement } from './rewrite.ts';
import { buildAccessState, dropPolicyObjects, type AccessState } from './state.ts';
import { filteredRole, type FilteredRole } from './names.ts';
import { VersionTracker } from './version.ts';
import { BoundedCache } from '../tools/lru.ts';

export interface GuardedStatement {
  stmt: StatementSync;
  /** The SQL SQLite prepared (after the rewrite). */
  sql: string;
  /** Main tables the statement (or a trigger it fires) may write, with the operations. */
  writes: Array<{ table: string; operations: Array<'insert' | 'update' | 'delete'> }>;
  /** Main tables it reads (through policy views or directly). */
  reads: string[];
  /** True for CREATE/DROP/ALTER and other schema changes. */
  ddl: boolean;
}

interface Analysis {
  sql: string;
  dmlTarget: string | null;
  /** The protected table an ALTER TABLE changes (its policy objects must go first). */
  alters: { table: string; refusal: string | null } | null;
  alterTable: boolean;
  ctes: Set<string>;
  replaceTarget: string | null;
}

type Mode = 'closed' | 'trusted' | 'preparing' | 'running';

const CACHE_SIZE = 500;
const POLICY_VIOLATION = /new row violates row policy[^\n]*/;
const guarded = new WeakSet<DatabaseSync>();

/** True when an AccessGuard owns `db` (its authorizer must not be replaced). */
export function isGuarded(db: DatabaseSync): boolean {
  return guarded.has(db);
}

export class AccessGuard {
  readonly db: DatabaseSync;
  private mode: Mode = 'closed';
  private principal: Principal | null = null;
  private preparing: { ctx: StatementContext; record: AuthRecord } | null = null;
  private lastDenial: string | null = null;
  private stale = false;
  private state: AccessState | undefined;
  private readonly tracker: VersionTracker;
  private readonly analyses = new BoundedCache<string, Analysis>(CACHE_SIZE);
  private readonly statements = new BoundedCache<string, GuardedStatement>(CACHE_SIZE);

  /** `options.dataVersion`: see VersionTracker (a connection may read data_version once per request). */
  constructor(db: DatabaseSync, options: { dataVersion?: () => number } = {}) {
    if (guarded.has(db)) throw new Error('this connection already has an AccessGuard');
    guarded.add(db);
    this.db = db;
    // Principal functions: read the principal of the statement running now. Not deterministic,
    // so SQLite never folds them into a constant shared across principals.
    const current = (): Principal => {
      if (!this.principal) throw new Error('no principal is set for this statement');
      return this.principal;
    };
    db.function('wce_user_id', { deterministic: false }, () => current().userId);
    db.function('wce_username', { deterministic: false }, () => current().username);
    db.function('wce_role', { deterministic: false }, () => current().role);
    // REPLACE deletes the conflicting row; with recursive triggers that delete fires the
    // DELETE policy trigger instead of bypassing it.
    db.exec('PRAGMA recursive_triggers = ON');
    db.setAuthorizer((action, a1, a2, dbName, context) => this.authorizer(action, a1, a2, dbName, context));
    this.tracker = this.trusted(() => new VersionTracker(db, options.dataVersion));
  }

  /**
   * Runs `fn` with `principal` as the running principal (for the principal functions, and so
   * that statement re-preparation is refused rather than allowed).
   */
  runAs<T>(principal: Principal, fn: () => T): T {
    return this.withMode('running', principal, fn);
  }

  /** Runs `fn` with the authorizer allowing everything: for WCE's own SQL only, never tenant text. */
  trusted<T>(fn: () => T): T {
    return this.withMode('trusted', this.principal, fn);
  }

  /**
   * Checks, rewrites and prepares one tenant statement for `principal`.
   * Throws ValidationError (400) or ForbiddenError (403). Cached per (access state, principal
   * key, SQL): do not cache the result yourself.
   */
  prepare(sql: string, principal: Principal): GuardedStatement {
    // Stepping runs the principal functions for whoever runAs names: it must be the principal
    // the statement was authorized for.
    const running = this.mode === 'running' ? this.principal : null;
    if (running && (running.userId !== principal.userId || running.role !== principal.role || running.username !== principal.username)) {
      throw new Error('prepare() inside runAs() must use the same principal');
    }
    const state = this.refresh();
    const key = `${this.tracker.current}\u0000${state.grants.principalKey(principal)}\u0000${sql}`;
    const cached = this.statements.get(key);
    if (cached) return cached;
    const analysis = this.analyze(sql, state, filteredRole(principal.role));
    const ctx: StatementContext = {
      principal, admin: isAdministrator(principal), dmlTarget: analysis.dmlTarget, stepping: false, alterTable: analysis.alterTable, ctes: analysis.ctes,
      replaceTarget: analysis.replaceTarget, ...state,
    };
    const record = newAuthRecord();
    let stmt: StatementSync;
    this.preparing = { ctx, record };
    try {
      stmt = this.withMode('preparing', principal, () => this.db.prepare(analysis.sql));
    } catch (error) {
      throw this.prepareError(error, record, principal);
    } finally {
      this.preparing = null;
    }
    const prepared: GuardedStatement = {
      stmt, sql: analysis.sql, ddl: record.ddl, reads: [...record.reads],
      writes: [...record.writes].map(([table, ops]) => ({ table, operations: [...ops] })),
    };
    if (record.ddl) this.tracker.watchSchema();
    if (analysis.alters !== null && ctx.admin) {
      const { table, refusal } = analysis.alters;
      if (refusal !== null) throw new ValidationError(refusal);
      this.trusted(() => dropPolicyObjects(this.db, table));
      this.stale = true; // rebuilt before the next statement, whether the ALTER succeeds or not
      return prepared;
    }
    this.statements.set(key, prepared);
    return prepared;
  }

  /**
   * Maps an error thrown while stepping a guarded statement to a named error: a row-policy
   * CHECK violation or an authorizer denial → ForbiddenError; anything else → null.
   * @example catch (e) { throw guard.explain(e) ?? e }
   */
  explain(error: unknown): Error | null {
    const message = error instanceof Error ? error.message : '';
    const violation = POLICY_VIOLATION.exec(message);
    if (violation) return new PolicyViolationError(violation[0]);
    if (/not authorized|authorization denied|is prohibited/.test(message)) return new ForbiddenError(this.lastDenial ?? 'permission denied');
    return null;
  }

  private withMode<T>(mode: Mode, principal: Principal | null, fn: () => T): T {
    const saved = { mode: this.mode, principal: this.principal };
    this.mode = mode;
    this.principal = principal;
    try {
      return fn();
    } finally {
      this.mode = saved.mode;
      this.principal = saved.principal;
    }
  }

  private authorizer(action: number, a1: string | null, a2: string | null, dbName: string | null, context: string | null): number {
    if (this.mode === 'trusted') return C.SQLITE_OK;
    let active = this.preparing;
    if (this.mode === 'running' && this.principal && this.state) {
      // SQLite prepares while a statement runs: re-preparing an expired statement, VACUUM's
      // ATTACH, pragma table functions. We do not know which statement it is, so decide with
      // no DML target and with writes to protected tables refused (a statement re-prepared
      // after a rollback removed our TEMP triggers must not write unguarded).
      const principal = this.principal;
      active = { ctx: { principal, admin: isAdministrator(principal), dmlTarget: null, stepping: true, alterTable: false, ctes: new Set<string>(), replaceTarget: null, ...this.state }, record: newAuthRecord() };
    } else if (this.mode !== 'preparing') {
      active = null;
    }
    if (!active) return C.SQLITE_DENY;
    const verdict = authorize(active.ctx, active.record, action, a1, a2, dbName, context);
    if (verdict !== C.SQLITE_OK) this.lastDenial = deniedMessage(active.ctx.principal, active.record.denial ?? 'do this');
    return verdict;
  }

  /** Reloads access data and rebuilds policy objects when anything changed; returns the state. */
  private refresh(): AccessState {
    return this.trusted(() => {
      if (this.state && !this.stale && !this.tracker.changed()) return this.state;
      this.stale = false;
      this.state = buildAccessState(this.db);
      this.tracker.rebuilt();
      this.analyses.clear();
      this.statements.clear();
      return this.state;
    });
  }

  /**
   * The checks and the rewrite, which depend on the SQL text, the access state and the role
   * whose policy views the rewrite names (`role`; null for owner/admin, who are not rewritten).
   * Cached by (role, SQL): the state is the same until the caches are cleared (refresh).
   */
  private analyze(sql: string, state: AccessState, role: FilteredRole | null): Analysis {
    const key = `${role ?? ''}\u0000${sql}`;
    const cached = this.analyses.get(key);
    if (cached) return cached;
    if (sql.length > MAX_SQL_LENGTH) throw new ValidationError(`a statement may be at most ${MAX_SQL_LENGTH} characters`);
    try {
      const analysis = this.analyzeText(sql, state, role);
      this.analyses.set(key, analysis);
      return analysis;
    } catch (error) {
      // The parser and the tree walks recurse: an absurdly nested statement ends here, as a
      // client error (SQLite itself refuses expressions deeper than 1000 anyway).
      if (error instanceof RangeError) throw new ValidationError('the statement is nested too deeply');
      throw error;
    }
  }

  private analyzeText(sql: string, state: AccessState, role: FilteredRole | null): Analysis {
    const reserved = reservedIdentifier(sql);
    if (reserved) throw new ValidationError(`${RESERVED_NAMESPACE}: ${reserved.name}`);
    let program;
    try {
      program = parseSql(sql);
    } catch (error) {
      throw this.syntaxError(sql, error);
    }
    const statement = singleStatement(program);
    // A virtual table's module arguments are strings to the parser but names to the module
    // (FTS5 `content='…'`): no reserved name there either. Reading would fail anyway (the
    // module's own statements meet the authorizer); this refuses the table up front.
    if (statement.type === 'create_table_stmt' && /_wce_/i.test(sql)) {
      throw new ValidationError(`${RESERVED_NAMESPACE}, also in virtual table arguments`);
    }
    // Owner/admin (role null) bypass row policies: their statements read and write the tables
    // themselves (the authorizer allows that to them alone; the triggers let their writes
    // through). Any other role reads T only through views of its own role (authorizer.ts);
    // a role without views would get null here too, and its reads of T are then refused.
    const rewritten = role === null ? sql : rewriteStatement(sql, statement, role, state.views, state.dmlGuards);
    return {
      sql: rewritten, dmlTarget: dmlTarget(statement), alters: alteredTable(statement, state), alterTable: statement.type === 'alter_table_stmt',
      ctes: cteNames(statement), replaceTarget: replacesRows(statement) ? dmlTarget(statement) : null,
    };
  }

  /** SQLite's own message for text our parser refused, with the parser's position. */
  private syntaxError(sql: string, parserError: unknown): Error {
    const position = errorPosition(parserError);
    const where = position ? `line ${position.line}, column ${position.column}` : '';
    let message = `SQL syntax not supported: ${String((parserError as Error).message).split('\n')[0]}`;
    try {
      // Closed mode: SQLite parses and reports syntax errors, but any name lookup is denied.
      this.withMode('closed', null, () => this.db.prepare(sql));
    } catch (error) {
      const text = (error as Error).message;
      if (!/not authorized/.test(text)) message = text;
    }
    const error = new SqlSyntaxError(where ? `${message} (at ${where})` : message);
    return position ? withDetails(error, position) : error;
  }

  private prepareError(error: unknown, record: AuthRecord, principal: Principal): Error {
    if (record.denial !== null) return new ForbiddenError(deniedMessage(principal, record.denial));
    const message = error instanceof Error ? error.message : String(error);
    return new ValidationError(message);
  }
}
