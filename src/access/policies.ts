/**
 * Row policies (`_wce_row_policies`) as the admin API manages them. Every expression is
 * validated before it is saved: parsed as one expression (expression.ts), then prepared as
 * `SELECT 1 FROM main.T WHERE (<expr>)` under an authorizer that refuses what tenant SQL may
 * never do (reserved tables, ATTACH, pragmas, dangerous functions). A bad one is a 400 with
 * SQLite's message; nothing is stored.
 */
import { constants, type DatabaseSync } from 'node:sqlite';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { nowIso } from '../tools/time.ts';
import { ANONYMOUS } from '../auth/principal.ts';
import { translateExpression } from './expression.ts';
import { authorize, isSchemaTable, newAuthRecord } from './authorizer.ts';
import { Grants, loadMainObjects, toPolicy, POLICY_COMMANDS, POLICY_ROLES, type RowPolicy, type PolicyKind, type PolicyRow } from './model.ts';
import { quoteIdent } from './names.ts';
import { adminChange, isTenantTable, type Actor } from './admin-change.ts';
import { isGuarded } from './guard.ts';

export interface PolicyInput {
  table: string;
  name: string;
  commands: string[];
  roles: string[];
  using?: string | null;
  check?: string | null;
  kind: PolicyKind;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_ -]{0,62}$/;

/** The API shape of a policy. */
export function policyJson(policy: RowPolicy): Record<string, unknown> {
  const { id, table, name, commands, roles, using, check, kind } = policy;
  return { id, table, name, commands, roles, using, check, kind };
}

/** Every policy, in id order. */
export function listPolicies(db: DatabaseSync): RowPolicy[] {
  return (db.prepare('SELECT * FROM _wce_row_policies ORDER BY id').all() as unknown as PolicyRow[]).map(toPolicy);
}

/** The principal functions, so expressions can be prepared on a connection without a guard. */
function ensurePrincipalFunctions(db: DatabaseSync): void {
  if (db.prepare("SELECT 1 FROM pragma_function_list WHERE name = 'wce_role'").get()) return;
  for (const name of ['wce_user_id', 'wce_username', 'wce_role']) db.function(name, { deterministic: false }, () => null);
}

/**
 * Throws ValidationError unless `expr` is a valid policy expression for `table`.
 * @example validateExpression(db, 'posts', 'author = $user_id')
 */
export function validateExpression(db: DatabaseSync, table: string, expr: string): void {
  const sql = `SELECT 1 FROM main.${quoteIdent(table)} WHERE (${translateExpression(expr)})`;
  // This sets its own authorizer: on a tenant connection it would replace the guard's.
  if (isGuarded(db)) throw new Error('validateExpression needs a connection without an AccessGuard');
  ensurePrincipalFunctions(db);
  const ctx = {
    principal: { ...ANONYMOUS, role: 'owner' as const }, admin: true, grants: new Grants([]), protectedTables: new Set<string>(),
    broken: new Set<string>(), mainObjects: loadMainObjects(db), dmlTarget: null, stepping: false, alterTable: false, ctes: new Set<string>(), replaceTarget: null, replaceTables: new Set<string>(),
  };
  const record = newAuthRecord();
  // Decided as an admin statement, except that SQLite's schema tables and pragma functions are
  // refused: at run time the expression is evaluated for users, who may not read the first,
  // and a pragma function's own check happens only when it runs, too late for this one.
  db.setAuthorizer((action, a1, a2, dbName, context) => {
    if (action === constants.SQLITE_READ && (isSchemaTable(a1) || (a1 ?? '').toLowerCase().startsWith('pragma_'))) {
      record.denial ??= `read ${a1}`;
      return constants.SQLITE_DENY;
    }
    return authorize(ctx, record, action, a1, a2, dbName, context);
  });
  try {
    db.prepare(sql);
  } catch (error) {
    const reason = record.denial ?? (error instanceof Error ? error.message : String(error));
    throw new ValidationError(`invalid policy expression: ${reason}`);
  } finally {
    db.setAuthorizer(null);
  }
}

/**
 * Throws ValidationError unless `input` is a policy that could be saved (on a connection
 * without an AccessGuard: the main process's). The preview checks a draft with it.
 */
export function validatePolicyInput(db: DatabaseSync, input: PolicyInput): void {
  if (!NAME.test(input.name)) throw new ValidationError('policy name must be 1 to 63 letters, digits, spaces, "_" or "-"');
  // Row policies need triggers, which virtual tables cannot have: ordinary tables only.
  if (!isTenantTable(db, input.table, ['table'])) throw new ValidationError(`no table "${input.table}" to put a policy on`);
  const badCommand = input.commands.find((c) => !(POLICY_COMMANDS as readonly string[]).includes(c));
  if (input.commands.length === 0 || badCommand !== undefined) throw new ValidationError(`commands must be a non-empty list of ${POLICY_COMMANDS.join(', ')}`);
  const badRole = input.roles.find((r) => !(POLICY_ROLES as readonly string[]).includes(r));
  if (input.roles.length === 0 || badRole !== undefined) throw new ValidationError(`roles must be a non-empty list of ${POLICY_ROLES.join(', ')}`);
  if (input.kind !== 'permissive' && input.kind !== 'restrictive') throw new ValidationError('kind must be "permissive" or "restrictive"');
  // As in PostgreSQL: SELECT/DELETE only filter existing rows (no CHECK), INSERT only checks
  // new ones (no USING). Refusing the meaningless half avoids a policy that looks stricter
  // than it is.
  const only = (commands: string[]) => input.commands.every((c) => commands.includes(c));
  if (input.check != null && only(['select', 'delete'])) throw new ValidationError('a policy for select/delete only has no "check"; use "using"');
  if (input.using != null && only(['insert'])) throw new ValidationError('a policy for insert only has no "using"; use "check"');
  if (input.using != null) validateExpression(db, input.table, input.using);
  if (input.check != null) validateExpression(db, input.table, input.check);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function save(db: DatabaseSync, input: PolicyInput, id: number | null): RowPolicy {
  validatePolicyInput(db, input);
  const clash = db.prepare('SELECT id FROM _wce_row_policies WHERE lower(table_name) = lower(?) AND name = ? AND id IS NOT ?').get(input.table, input.name, id);
  if (clash) throw new ConflictError(`table "${input.table}" already has a policy named "${input.name}"`);
  const now = nowIso();
  const values = [input.table, input.name, JSON.stringify(unique(input.commands)), JSON.stringify(unique(input.roles)), input.using ?? null, input.check ?? null, input.kind];
  const row = id === null
    ? db.prepare(`INSERT INTO _wce_row_policies (table_name, name, commands, roles, using_expr, check_expr, kind, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(...values, now, now)
    : db.prepare(`UPDATE _wce_row_policies SET table_name = ?, name = ?, commands = ?, roles = ?, using_expr = ?, check_expr = ?, kind = ?, updated_at = ?
        WHERE id = ? RETURNING *`).get(...values, now, id);
  return toPolicy(row as unknown as PolicyRow);
}

/**
 * Creates a policy. @example createPolicy(db, { table: 'posts', name: 'own', commands: ['all'],
 * roles: ['user'], using: 'author = $user_id', kind: 'permissive' }, actor)
 */
export function createPolicy(db: DatabaseSync, input: PolicyInput, actor: Actor): RowPolicy {
  return adminChange(db, actor, () => {
    const policy = save(db, input, null);
    return { result: policy, audit: { action: 'policy_created', table: policy.table, detail: policyJson(policy) } };
  });
}

/** Changes any fields of a policy; the result is validated as a whole. */
export function updatePolicy(db: DatabaseSync, id: number, patch: Partial<PolicyInput>, actor: Actor): RowPolicy {
  return adminChange(db, actor, () => {
    const current = listPolicies(db).find((p) => p.id === id);
    if (!current) throw new NotFoundError(`no policy with id ${id}`);
    const policy = save(db, { ...current, ...patch }, id);
    return { result: policy, audit: { action: 'policy_updated', table: policy.table, detail: { before: policyJson(current), after: policyJson(policy) } } };
  });
}

/** Deletes a policy; NotFoundError when there is none with that id. */
export function deletePolicy(db: DatabaseSync, id: number, actor: Actor): RowPolicy {
  return adminChange(db, actor, () => {
    const row = db.prepare('DELETE FROM _wce_row_policies WHERE id = ? RETURNING *').get(id);
    if (!row) throw new NotFoundError(`no policy with id ${id}`);
    const removed = toPolicy(row as unknown as PolicyRow);
    return { result: removed, audit: { action: 'policy_deleted', table: removed.table, detail: policyJson(removed) } };
  });
}
