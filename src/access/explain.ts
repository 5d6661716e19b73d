/**
 * The policy debugger: what one statement does for a chosen user, and why rows are missing.
 * Supabase's most-asked RLS feature; its "run as" covers SELECT only, so this covers the
 * writes too.
 *
 * For the chosen user it reports the statement as rewritten for them, the grants consulted,
 * and: for a SELECT, the rows the owner gets that the user does not, each with the policy
 * that hid it; for UPDATE/DELETE, the rows the user's statement would skip (and the policy
 * that hid each) and whether a CHECK would refuse the change; for INSERT, the CHECK outcome.
 * Everything runs in transactions that are always rolled back: explaining never changes data
 * (no audit row either). Runs in a sandbox child, as the caller (an owner or admin).
 */
import type { Principal } from '../auth/principal.ts';
import type { TenantConnection } from '../db/connection.ts';
import { TenantDb, type TenantDbOptions } from '../db/tenant-db.ts';
import { ValidationError } from '../errors.ts';
import { loadGrants, loadPolicies, type Operation, type RowPolicy } from './model.ts';
import { hidingQuery, type HidingReason } from './policy-eval.ts';
import { candidateRowsQuery, statementShape } from './explain-shape.ts';

/** Hidden rows reported at most; the total is still counted. */
export const MAX_HIDDEN_ROWS = 100;

export interface ExplainRequest { sql: string; params?: unknown; target: Principal }

export interface HiddenRow { table: string; row: Record<string, unknown>; reasons: HidingReason[] }

export interface Explanation {
  statement: string;
  as_user: { id: string | null; username: string | null; role: string };
  rewritten: string | null;
  grants: Array<{ table: string; operation: Operation; allowed: boolean }>;
  policies: Array<Pick<RowPolicy, 'id' | 'table' | 'name' | 'kind' | 'commands' | 'roles' | 'using' | 'check'> & { applies: boolean }>;
  result: { owner: number; user: number | null; unit: 'rows' | 'changes' };
  error: { code: string; message: string } | null;
  hidden: HiddenRow[];
  hidden_total: number;
  notes: string[];
}

/** Runs `fn` in a transaction on `tdb` that is rolled back whatever happens; returns fn's value or its error. */
function dryRun<T>(tdb: TenantDb, fn: () => T): { value: T } | { error: Error } {
  try {
    return { value: tdb.transaction(fn, { rollback: true }) };
  } catch (error) {
    return { error: error as Error };
  }
}

function rowKey(row: unknown[]): string {
  return JSON.stringify(row);
}

/**
 * Explains `request.sql` for `request.target`, as `caller` on `conn`.
 * @example explain(conn, owner, { sql: 'SELECT * FROM posts', target: alice }, options).hidden[0].reasons[0].policy
 */
export function explain(conn: TenantConnection, caller: Principal, request: ExplainRequest, options: TenantDbOptions): Explanation {
  const shape = statementShape(request.sql);
  if (shape.kind === 'other') throw new ValidationError('explain works on one SELECT, INSERT, UPDATE or DELETE statement');
  const owner = new TenantDb(conn, caller, {}, options);
  const user = new TenantDb(conn, request.target, {}, options);
  const [grants, policies] = conn.gate.trusted(() => [loadGrants(conn.db), loadPolicies(conn.db)] as const);
  const bypass = request.target.role === 'owner' || request.target.role === 'admin';
  const out: Explanation = {
    statement: shape.kind,
    as_user: { id: request.target.userId, username: request.target.username, role: request.target.role },
    rewritten: null, grants: [], policies: [], result: { owner: 0, user: null, unit: shape.kind === 'select' ? 'rows' : 'changes' },
    error: null, hidden: [], hidden_total: 0, notes: [],
  };
  if (bypass) out.notes.push(`${request.target.role} bypasses grants and row policies: they see and change everything`);

  // What the owner's run reads and writes names the tables (and the operations) at stake.
  const ownerRun = dryRun(owner, () => owner.run(request.sql, request.params));
  if ('error' in ownerRun) throw ownerRun.error;
  const prepared = conn.gate.runAs(caller, () => conn.gate.prepare(request.sql, caller));
  const tables = new Map<string, Set<Operation>>();
  for (const table of prepared.reads) tables.set(table.toLowerCase(), new Set(['select']));
  for (const { table, operations } of prepared.writes) {
    const ops = tables.get(table.toLowerCase()) ?? new Set<Operation>();
    for (const op of operations) ops.add(op);
    tables.set(table.toLowerCase(), ops);
  }
  for (const [table, ops] of tables) {
    for (const operation of ops) out.grants.push({ table, operation, allowed: bypass || grants.allows(request.target, table, operation) });
  }
  out.policies = policies.filter((p) => tables.has(p.table.toLowerCase())).map((p) => ({
    id: p.id, table: p.table, name: p.name, kind: p.kind, commands: p.commands, roles: p.roles, using: p.using, check: p.check,
    applies: !bypass && p.roles.includes(request.target.role),
  }));
  out.result.owner = shape.kind === 'select' ? ownerRun.value.rows.length : ownerRun.value.changes;

  const userRun = dryRun(user, () => {
    out.rewritten = conn.gate.runAs(request.target, () => conn.gate.prepare(request.sql, request.target).sql);
    return user.run(request.sql, request.params);
  });
  if ('error' in userRun) {
    const error = userRun.error as Error & { code?: string };
    out.error = { code: error.code ?? 'WCE_ERR_INTERNAL', message: error.message };
  } else {
    out.result.user = shape.kind === 'select' ? userRun.value.rows.length : userRun.value.changes;
  }
  if (bypass) return out;

  // Rows the owner's statement reaches that the user's does not, and the policy behind each.
  const command = shape.kind === 'insert' ? null : shape.kind;
  const table = shape.table;
  if (command === null) return out;
  const candidates = table ? candidateRowsQuery(request.sql, shape) : null;
  if (!table || !candidates) {
    if (shape.kind === 'select' && !('error' in userRun)) {
      const seen = new Map<string, number>();
      for (const row of userRun.value.rows) seen.set(rowKey(row), (seen.get(rowKey(row)) ?? 0) + 1);
      const missing = ownerRun.value.rows.filter((row) => {
        const left = seen.get(rowKey(row)) ?? 0;
        if (left > 0) seen.set(rowKey(row), left - 1);
        return left === 0;
      });
      out.hidden_total = missing.length;
      out.hidden = missing.slice(0, MAX_HIDDEN_ROWS).map((row) => ({
        table: '', row: Object.fromEntries(ownerRun.value.columns.map((c, i) => [c, row[i]])), reasons: [],
      }));
    }
    out.notes.push('policies are named per row only for statements on one table (no join, grouping or compound); the rows shown are those the owner gets and this user does not');
    return out;
  }
  // Every statement below runs through the guard as the caller (never trusted): the candidate
  // query carries the tenant's WHERE text, and the guard still refuses reserved names in it.
  const rowids = dryRun(owner, () => objects(owner.query(candidates, request.params)).map((r) => rowidText(r.explain_rowid)));
  if ('error' in rowids) {
    out.notes.push(`could not list the rows the statement reaches: ${rowids.error.message}`);
    return out;
  }
  const tablePolicies = policies.filter((p) => p.table.toLowerCase() === table.toLowerCase());
  const query = hidingQuery(table, tablePolicies, command, request.target);
  const evaluated = objects(owner.query(query.sql, [`[${rowids.value.join(',')}]`]));
  const hidden = evaluated.map((row) => ({ rowid: rowidText(row.explain_rowid), reasons: query.reasons(row) })).filter((h) => h.reasons.length > 0);
  out.hidden_total = hidden.length;
  const shown = hidden.slice(0, MAX_HIDDEN_ROWS);
  const full = objects(owner.query(`SELECT rowid AS "explain_rowid", * FROM main."${table.replaceAll('"', '""')}" WHERE rowid IN (SELECT value FROM json_each(?))`,
    [`[${shown.map((h) => h.rowid).join(',')}]`]));
  const byRowid = new Map(full.map((row) => [rowidText(row.explain_rowid), row]));
  out.hidden = shown.map((h) => {
    const { explain_rowid: _, ...row } = byRowid.get(h.rowid) ?? {};
    return { table, row, reasons: h.reasons };
  });
  if (shape.kind !== 'select' && out.hidden_total > 0) out.notes.push(`the user's ${shape.kind} would skip ${out.hidden_total} of the ${rowids.value.length} rows the owner's reaches`);
  return out;
}

/** A rowid as decimal text, from its JSON form (a number, or {"$int": …} past 2^53). */
function rowidText(value: unknown): string {
  return typeof value === 'object' && value !== null ? String((value as { $int: string }).$int) : String(value);
}

/** Result rows as objects keyed by column (the lossless JSON forms kept). */
function objects(result: { columns: readonly string[]; rows: unknown[][] }): Array<Record<string, unknown>> {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]])));
}
