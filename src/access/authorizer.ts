/**
 * The authorizer decision for one action of a tenant statement, as SQLite reports it while
 * preparing (sqlite3_set_authorizer): action code, two arguments, schema name and the
 * innermost trigger or view (or CTE) the access comes through ("context", null at top level).
 *
 * Everything not explicitly allowed here is denied. The rules, in short:
 * - `_wce_*` and `_litestream_*` objects: never, for anyone, in any action. The one exception is READ of our own
 *   TEMP policy views (names.ts) of the principal's own role, which counts as a SELECT on their
 *   table; a view of another role is refused (owner/admin, never rewritten, match no view).
 * - ATTACH/DETACH (VACUUM INTO attaches), transaction control, temp objects: never.
 * - PRAGMA: only the read-only schema pragmas of PRAGMA_ALLOWED, on non-reserved names.
 * - Functions: all but those of DENIED_FUNCTIONS (extension loading, file access, FTS
 *   internals that pass pointers).
 * - DDL (tables, indexes, views, triggers, allowed virtual table modules): owner/admin only.
 * - Table actions: owner/admin hold all; others need a grant (REPLACE also needs delete). A
 *   READ of a policy-protected table by a user/anonymous statement is allowed only inside our
 *   policy triggers and the policy views of the principal's role, or on the target of the
 *   statement's own INSERT/UPDATE/DELETE (rows guarded by the triggers).
 * - Virtual tables' shadow tables: only while the module runs, with the grant on the table.
 */
import { constants as C } from 'node:sqlite';
import type { Principal } from '../auth/principal.ts';
import { shadowOwner, type Grants, type Operation } from './model.ts';
import { foldCase, isReservedName } from './tokens.ts';
import { TRIGGER_PREFIX, policyView } from './names.ts';

/** What the authorizer needs to know about the statement being prepared. */
export interface StatementContext {
  principal: Principal;
  admin: boolean;
  grants: Grants;
  /** Folded names of tables with row policies. */
  protectedTables: ReadonlySet<string>;
  /** Protected tables whose policy objects could not be built: closed to non-admins. */
  broken: ReadonlySet<string>;
  /** Main-schema objects, folded name → type (model.ts loadMainObjects). */
  mainObjects: ReadonlyMap<string, string>;
  /** The main table the statement itself inserts into, updates or deletes from. */
  dmlTarget: string | null;
  /**
   * True when SQLite prepares while a statement runs (an expired statement re-prepared, a
   * pragma table function, VACUUM). Writes to protected tables are then refused: a statement
   * re-prepared after a rollback undid our TEMP triggers would otherwise write unguarded.
   */
  stepping: boolean;
  /** True for an ALTER TABLE statement (SQLite checks existing rows with quick_check). */
  alterTable: boolean;
  /** Names of the CTEs the statement defines (folded). */
  ctes: ReadonlySet<string>;
  /** The table the statement writes with REPLACE conflict resolution, if any. */
  replaceTarget: string | null;
  /** Tables whose schema resolves some conflict with REPLACE (ON CONFLICT REPLACE). */
  replaceTables: ReadonlySet<string>;
}

/** Facts gathered while a statement is authorized. */
export interface AuthRecord {
  denial: string | null;
  writes: Map<string, Set<'insert' | 'update' | 'delete'>>;
  reads: Set<string>;
  ddl: boolean;
}

const PRAGMA_ALLOWED = new Set(['table_info', 'table_xinfo', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list']);
/** Names that are never taken for a CTE: SQLite's tables, pragma and dbstat tables, ours, Litestream's. */
const SYSTEM_NAME = /^(sqlite_|pragma_|dbstat$|_wce_|_litestream_)/;
const MODULE_PRAGMAS = new Set(['data_version', 'page_size']);
const EPONYMOUS_ALLOWED = new Set(['json_each', 'json_tree']);
const VTAB_MODULES_ALLOWED = new Set(['fts5', 'fts4', 'fts3', 'rtree', 'rtree_i32', 'geopoly']);
// SQLite's internal ALTER TABLE helpers (sqlite_rename_*, sqlite_drop_column) are not here:
// SQL text cannot call them, and SQLite itself calls them while an admin's ALTER runs.
// total_changes() counts every row changed on the connection since it opened; connections are
// shared by all principals of a cenv (in the sandbox), so it would reveal others' activity.
const DENIED_FUNCTIONS = new Set(['load_extension', 'fts3_tokenizer', 'fts5', 'readfile', 'writefile', 'edit', 'total_changes']);
const SCHEMA_TABLES = new Set(['sqlite_master', 'sqlite_schema', 'sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4', 'sqlite_temp_master', 'sqlite_temp_schema']);

/** SQLite's own bookkeeping tables, open to owner/admin statements only. */
export function isSchemaTable(name: string | null): boolean {
  return name !== null && SCHEMA_TABLES.has(name.toLowerCase());
}

const DDL: Record<number, string> = {
  [C.SQLITE_CREATE_INDEX]: 'create index', [C.SQLITE_CREATE_TABLE]: 'create table',
  [C.SQLITE_CREATE_TRIGGER]: 'create trigger', [C.SQLITE_CREATE_VIEW]: 'create view',
  [C.SQLITE_DROP_INDEX]: 'drop index', [C.SQLITE_DROP_TABLE]: 'drop table',
  [C.SQLITE_DROP_TRIGGER]: 'drop trigger', [C.SQLITE_DROP_VIEW]: 'drop view',
  [C.SQLITE_REINDEX]: 'reindex', [C.SQLITE_ANALYZE]: 'analyze',
};
const TEMP_DDL = new Set([
  C.SQLITE_CREATE_TEMP_INDEX, C.SQLITE_CREATE_TEMP_TABLE, C.SQLITE_CREATE_TEMP_TRIGGER, C.SQLITE_CREATE_TEMP_VIEW,
  C.SQLITE_DROP_TEMP_INDEX, C.SQLITE_DROP_TEMP_TABLE, C.SQLITE_DROP_TEMP_TRIGGER, C.SQLITE_DROP_TEMP_VIEW,
]);
const WRITE: Record<number, 'insert' | 'update' | 'delete'> = {
  [C.SQLITE_INSERT]: 'insert', [C.SQLITE_UPDATE]: 'update', [C.SQLITE_DELETE]: 'delete',
};
const PHRASE: Record<Operation, string> = { select: 'select from', insert: 'insert into', update: 'update', delete: 'delete from' };

export function newAuthRecord(): AuthRecord {
  return { denial: null, writes: new Map(), reads: new Set(), ddl: false };
}

/** `permission denied: user may not insert into posts` */
export function deniedMessage(principal: Principal, what: string): string {
  return `permission denied: ${principal.role} may not ${what}`;
}

/**
 * Decides one action; returns SQLITE_OK or SQLITE_DENY and notes the first denial's reason.
 * @example db.setAuthorizer((...a) => authorize(ctx, record, ...a))
 */
export function authorize(
  ctx: StatementContext, record: AuthRecord,
  action: number, arg1: string | null, arg2: string | null, dbName: string | null, context: string | null,
): number {
  const reason = decide(ctx, record, action, arg1, arg2, dbName, context);
  if (reason === null) return C.SQLITE_OK;
  record.denial ??= reason;
  return C.SQLITE_DENY;
}

/** null = allowed; otherwise the reason, phrased to follow "permission denied: <role> may not". */
function decide(
  ctx: StatementContext, record: AuthRecord,
  action: number, arg1: string | null, arg2: string | null, dbName: string | null, context: string | null,
): string | null {
  const { principal, admin } = ctx;
  switch (action) {
    case C.SQLITE_SELECT:
    case C.SQLITE_RECURSIVE:
      return null;
    case C.SQLITE_READ: {
      // count(*) and rowid-only scans report a table with no schema name and no column; so
      // does a read of a whole CTE (the tables inside it are reported on their own). Such a
      // read is of a CTE only if the statement defines one by that name (or, inside a tenant
      // view or trigger whose CTEs we do not know, if it cannot be anything else); otherwise it
      // is decided as a read of the main-schema object of that name.
      const table = foldCase(arg1 ?? '');
      if (dbName === null && !ctx.mainObjects.has(table) && (ctx.ctes.has(table) || (context !== null && !SYSTEM_NAME.test(table)))) return null;
      return decideRead(ctx, record, table, dbName ?? 'main', context);
    }
    case C.SQLITE_INSERT:
    case C.SQLITE_UPDATE:
    case C.SQLITE_DELETE:
      return decideWrite(ctx, record, WRITE[action], foldCase(arg1 ?? ''), dbName);
    case C.SQLITE_FUNCTION:
      return DENIED_FUNCTIONS.has((arg2 ?? '').toLowerCase()) ? `call ${arg2}()` : null;
    case C.SQLITE_PRAGMA: {
      const name = (arg1 ?? '').toLowerCase();
      // FTS5 and R*Tree modules read these while their statement runs (never tenant text:
      // a re-prepared tenant statement was checked as written the first time).
      if (ctx.stepping && arg2 === null && MODULE_PRAGMAS.has(name)) return null;
      // An admin's ALTER TABLE … ADD COLUMN … CHECK checks the existing rows with quick_check.
      if ((ctx.stepping || ctx.alterTable) && admin && name === 'quick_check' && !isReservedName(arg2)) return null;
      if (!PRAGMA_ALLOWED.has(name) || arg2 === null || isReservedName(arg2) || (dbName !== null && dbName.toLowerCase() !== 'main')) return `run PRAGMA ${arg1}`;
      const table = foldCase(arg2);
      if (!admin && ctx.mainObjects.has(table) && !ctx.grants.allows(principal, table, 'select')) return `run PRAGMA ${arg1} on ${arg2}`;
      return null;
    }
    case C.SQLITE_ATTACH:
    case C.SQLITE_DETACH:
      return 'attach or detach databases (this includes VACUUM INTO)';
    case C.SQLITE_TRANSACTION:
    case C.SQLITE_SAVEPOINT:
      return 'control transactions in SQL; send a batch ("statements") instead';
    case C.SQLITE_ALTER_TABLE:
      return decideDdl(ctx, record, `alter table ${arg2}`, [arg2]);
    case C.SQLITE_CREATE_VTABLE:
    case C.SQLITE_DROP_VTABLE:
      if (!VTAB_MODULES_ALLOWED.has((arg2 ?? '').toLowerCase())) return `use virtual table module ${arg2}`;
      return decideDdl(ctx, record, `create or drop virtual table ${arg1}`, [arg1]);
    default:
      // Dropping a protected table drops our policy triggers on it with it (the guard builds
      // them again when the table comes back); no other temp object may be made or dropped.
      if (action === C.SQLITE_DROP_TEMP_TRIGGER && admin && (arg1 ?? '').startsWith(TRIGGER_PREFIX)) return decideDdl(ctx, record, 'drop table', [arg2]);
      if (TEMP_DDL.has(action)) return 'create or drop temporary objects';
      if (DDL[action] !== undefined && (dbName === null || dbName === 'main')) return decideDdl(ctx, record, `${DDL[action]} ${arg1 ?? ''}`.trim(), [arg1, arg2]);
      return `perform SQLite action ${action}`;
  }
}

function decideDdl(ctx: StatementContext, record: AuthRecord, what: string, names: Array<string | null>): string | null {
  if (!ctx.admin || names.some(isReservedName)) return what;
  record.ddl = true;
  return null;
}

/**
 * True when `context` (the view or trigger an access comes through) is one of our policy
 * objects that may run for `principal`: a policy trigger (they fire for every role and test it
 * themselves), or a policy view of the principal's own role. Each view holds one role's policy
 * with no role test (policy-sql.ts), so reading through another role's view would apply the
 * wrong policy: it counts as no policy object, and the read of T behind it is refused.
 */
function ownPolicyObject(context: string | null, principal: Principal): boolean {
  if (context === null) return false;
  return context.startsWith(TRIGGER_PREFIX) || policyView(context)?.role === principal.role;
}

function decideRead(ctx: StatementContext, record: AuthRecord, table: string, dbName: string | null, context: string | null): string | null {
  const { principal, admin } = ctx;
  const inPolicyObject = ownPolicyObject(context, principal);
  if (dbName === 'temp') {
    if (table === 'sqlite_temp_master') return admin ? null : `select from ${table}`; // admin DROP TABLE, see decideWrite
    // Only our policy views live in temp; reading one of the principal's role is reading its
    // table. (SQLite reports this read only for some statements — `count(*)` over the view
    // reads main.T alone — so the check on main.T's context below is the one that holds.)
    const view = policyView(table);
    if (view === null || view.role !== principal.role || !ctx.protectedTables.has(view.table)) return `read temp.${table}`;
    return readTable(ctx, record, view.table);
  }
  if (dbName !== 'main' || isReservedName(table)) return `select from ${table}`;
  if (SCHEMA_TABLES.has(table)) return admin ? null : `select from ${table}`;
  if (!ctx.mainObjects.has(table)) {
    // Eponymous virtual tables, or a table made since the state was loaded: a virtual table
    // module (FTS5) creating and filling its shadow tables while its statement runs. Only
    // owner/admin run such DDL; dbstat (page statistics of every table) stays closed.
    if (EPONYMOUS_ALLOWED.has(table) || (table.startsWith('pragma_') && PRAGMA_ALLOWED.has(table.slice(7)))) return null;
    if ((ctx.stepping || ctx.alterTable) && admin && table === 'pragma_quick_check') return null; // see SQLITE_PRAGMA
    return admin && table !== 'dbstat' && !table.startsWith('pragma_') ? null : `select from ${table}`;
  }
  if (ctx.mainObjects.get(table) === 'shadow' && !admin) return decideShadow(ctx, table, 'select');
  if (ctx.broken.has(table) && !admin) return `select from ${table} (its row policies are invalid)`;
  if (ctx.protectedTables.has(table) && !admin) {
    // Fail closed: a protected table is read only through a policy view of the principal's
    // role (the 5th argument names it), inside our policy triggers, or as the DML target whose
    // rows the triggers guard.
    // T read by T's own policy view: the grant on T must hold here. SQLite does not always
    // report the read of the view itself (`count(*)` or `EXISTS` over it reads main.T alone),
    // so without this check a caller with no grant could count the rows its policy shows.
    if (inPolicyObject && policyView(context!)?.table === foldCase(table)) return readTable(ctx, record, table);
    if (inPolicyObject) return readByPolicy(record, table); // policy subqueries of another table's view, and our triggers
    if (context === null && ctx.dmlTarget === table) return readTable(ctx, record, table);
    return `select from ${table} except through its row policies`;
  }
  // Reads inside our policy view/trigger bodies (policy subqueries) are the admin's policy
  // code; the grant was checked where the view itself was read.
  if (inPolicyObject) return readByPolicy(record, table);
  return readTable(ctx, record, table);
}

/**
 * A read by a policy's own code needs no grant, but it is still a read of the statement:
 * a page whose rows a policy filters through another table (`EXISTS (SELECT … FROM
 * memberships …)`) depends on that table too, and the page cache learns it from `reads`.
 */
function readByPolicy(record: AuthRecord, table: string): null {
  record.reads.add(table);
  return null;
}

function readTable(ctx: StatementContext, record: AuthRecord, table: string): string | null {
  if (!ctx.admin && !ctx.grants.allows(ctx.principal, table, 'select')) return `${PHRASE.select} ${table}`;
  record.reads.add(table);
  return null;
}

function decideWrite(
  ctx: StatementContext, record: AuthRecord, op: 'insert' | 'update' | 'delete', table: string, dbName: string | null,
): string | null {
  // Schema bookkeeping of admin DDL (direct writes are stopped by SQLite's defensive mode);
  // temp.sqlite_temp_master changes only when a dropped table takes our triggers with it.
  if (dbName === 'temp' && table === 'sqlite_temp_master') return ctx.admin ? null : 'change the schema';
  if (dbName !== 'main' || isReservedName(table)) return `${PHRASE[op]} ${dbName ?? ''}.${table}`.replace(' .', ' ');
  if (SCHEMA_TABLES.has(table)) return ctx.admin ? null : 'change the schema';
  if (ctx.mainObjects.get(table) === 'shadow' && !ctx.admin) return decideShadow(ctx, table, op);
  if (ctx.stepping && ctx.protectedTables.has(table) && !ctx.admin) return `${PHRASE[op]} ${table} now: the schema changed while the statement was prepared; send it again`;
  if (ctx.broken.has(table) && !ctx.admin) return `${PHRASE[op]} ${table} (its row policies are invalid)`;
  if (!ctx.admin && !ctx.grants.allows(ctx.principal, table, op)) return `${PHRASE[op]} ${table}`;
  // REPLACE deletes the row in the way without SQLite asking the authorizer about that delete:
  // an insert-only grant must not overwrite existing rows.
  const replaces = op !== 'delete' && (table === ctx.replaceTarget || ctx.replaceTables.has(table));
  if (replaces && !ctx.admin && !ctx.grants.allows(ctx.principal, table, 'delete')) return `${PHRASE.delete} ${table} (REPLACE deletes conflicting rows)`;
  // Writes made by tenant triggers count too: commit hooks want every table that changed.
  const ops = record.writes.get(table) ?? new Set();
  ops.add(op);
  record.writes.set(table, ops);
  return null;
}

/**
 * A shadow table of a virtual table V (FTS5's `V_data`, R*Tree's `V_node`…) is V's storage:
 * non-admins never name it (that would read V's rows around V's own row policies), but V's
 * module reads and writes it while a statement on V runs, which is allowed with the caller's
 * grant on V (select for reads, any write grant for the module's bookkeeping writes).
 */
function decideShadow(ctx: StatementContext, table: string, op: Operation): string | null {
  const owner = shadowOwner(ctx.mainObjects, table);
  if (!ctx.stepping || owner === null) return `${PHRASE[op]} ${table} (it belongs to a virtual table)`;
  const ops: Operation[] = op === 'select' ? ['select'] : ['insert', 'update', 'delete'];
  return ops.some((o) => ctx.grants.allows(ctx.principal, owner, o)) ? null : `${PHRASE[op]} ${owner}`;
}
