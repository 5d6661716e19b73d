/**
 * Table grants (`_wce_table_permissions`) as the admin API manages them: to a role or to one
 * user, any of select/insert/update/delete on one tenant table.
 */
import type { DatabaseSync } from 'node:sqlite';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { nowIso } from '../tools/time.ts';
import { OPERATIONS, POLICY_ROLES, type Operation } from './model.ts';
import { adminChange, isTenantTable, type Actor } from './admin-change.ts';

export interface Permission {
  id: number;
  table: string;
  role: string | null;
  user_id: string | null;
  operations: Operation[];
  created_at: string;
}

export interface NewPermission {
  table: string;
  role?: string;
  user_id?: string;
  operations: string[];
}

interface Row {
  id: number; table_name: string; role: string | null; user_id: string | null; created_at: string;
  can_select: number; can_insert: number; can_update: number; can_delete: number;
}

function toPermission(row: Row): Permission {
  const flags: Record<Operation, number> = { select: row.can_select, insert: row.can_insert, update: row.can_update, delete: row.can_delete };
  return {
    id: row.id, table: row.table_name, role: row.role, user_id: row.user_id, created_at: row.created_at,
    operations: OPERATIONS.filter((op) => flags[op] === 1),
  };
}

/** Every grant, in id order. */
export function listPermissions(db: DatabaseSync): Permission[] {
  return (db.prepare('SELECT * FROM _wce_table_permissions ORDER BY id').all() as unknown as Row[]).map(toPermission);
}

function checkOperations(list: string[]): Operation[] {
  const operations = [...new Set(list)];
  const unknown = operations.find((op) => !(OPERATIONS as readonly string[]).includes(op));
  if (unknown !== undefined || operations.length === 0) throw new ValidationError(`operations must be a non-empty list of ${OPERATIONS.join(', ')}`);
  return operations as Operation[];
}

function validate(db: DatabaseSync, input: NewPermission): Operation[] {
  if (!isTenantTable(db, input.table)) throw new ValidationError(`no table "${input.table}" to grant on`);
  if ((input.role === undefined) === (input.user_id === undefined)) throw new ValidationError('give exactly one of "role" and "user_id"');
  if (input.role !== undefined && !(POLICY_ROLES as readonly string[]).includes(input.role)) throw new ValidationError(`role must be one of ${POLICY_ROLES.join(', ')}`);
  if (input.user_id !== undefined && !db.prepare('SELECT 1 FROM _wce_users WHERE id = ?').get(input.user_id)) throw new ValidationError('no user with that user_id');
  return checkOperations(input.operations);
}

/**
 * Adds a grant. A second grant to the same holder on the same table is a conflict: change
 * the existing one's operations with `updatePermission`.
 * @example createPermission(db, { table: 'posts', role: 'user', operations: ['select'] }, actor)
 */
export function createPermission(db: DatabaseSync, input: NewPermission, actor: Actor): Permission {
  return adminChange(db, actor, () => {
    const operations = validate(db, input);
    const existing = db.prepare('SELECT id FROM _wce_table_permissions WHERE lower(table_name) = lower(?) AND role IS ? AND user_id IS ?')
      .get(input.table, input.role ?? null, input.user_id ?? null);
    if (existing) throw new ConflictError(`a grant on "${input.table}" to that holder exists already (id ${(existing as { id: number }).id})`);
    const has = (op: Operation) => (operations.includes(op) ? 1 : 0);
    const row = db.prepare(`INSERT INTO _wce_table_permissions
      (table_name, role, user_id, can_select, can_insert, can_update, can_delete, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(
      input.table, input.role ?? null, input.user_id ?? null, has('select'), has('insert'), has('update'), has('delete'), nowIso(),
    ) as unknown as Row;
    const result = toPermission(row);
    return { result, audit: { action: 'permission_created', table: result.table, detail: { id: result.id, role: result.role, user_id: result.user_id, operations } } };
  });
}

/** Removes a grant and returns it; NotFoundError when there is none with that id. */
export function deletePermission(db: DatabaseSync, id: number, actor: Actor): Permission {
  return adminChange(db, actor, () => {
    const row = db.prepare('DELETE FROM _wce_table_permissions WHERE id = ? RETURNING *').get(id) as unknown as Row | undefined;
    if (!row) throw new NotFoundError(`no permission with id ${id}`);
    const removed = toPermission(row);
    return { result: removed, audit: { action: 'permission_deleted', table: removed.table, detail: { id, role: removed.role, user_id: removed.user_id, operations: removed.operations } } };
  });
}

/**
 * Sets the operations of grant `id` in one change (never a moment without the grant, as a
 * delete and a re-add would leave); audited with the operations before and after. To take
 * every operation away, delete the grant.
 * @example updatePermission(db, 3, ['select', 'insert'], actor)
 */
export function updatePermission(db: DatabaseSync, id: number, operationList: string[], actor: Actor): Permission {
  return adminChange(db, actor, () => {
    const operations = checkOperations(operationList);
    const before = db.prepare('SELECT * FROM _wce_table_permissions WHERE id = ?').get(id) as unknown as Row | undefined;
    if (!before) throw new NotFoundError(`no permission with id ${id}`);
    const has = (op: Operation) => (operations.includes(op) ? 1 : 0);
    const row = db.prepare(`UPDATE _wce_table_permissions SET can_select = ?, can_insert = ?, can_update = ?, can_delete = ?
      WHERE id = ? RETURNING *`).get(has('select'), has('insert'), has('update'), has('delete'), id) as unknown as Row;
    const result = toPermission(row);
    return {
      result,
      audit: { action: 'permission_updated', table: result.table, detail: { id, role: result.role, user_id: result.user_id, from: toPermission(before).operations, to: result.operations } },
    };
  });
}
