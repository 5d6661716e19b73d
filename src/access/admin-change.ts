/**
 * One admin change of access data: the change, its audit entry and the access-version bump
 * commit together or not at all (a rolled-back change leaves no audit row, and tenant
 * connections never see a change without the bump that makes them reload).
 */
import type { DatabaseSync } from 'node:sqlite';
import { audit, type AuditEntry } from '../db/audit.ts';
import { transaction } from '../tools/transaction.ts';
import { bumpAccessVersion } from './version.ts';
import { isReservedName } from './tokens.ts';

/** Who makes a change, for the audit log. */
export interface Actor {
  userId: string | null;
  username: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export type ChangeAudit = Omit<AuditEntry, 'userId' | 'username' | 'ip' | 'userAgent'>;

/**
 * Runs `change` in a write transaction, then audits what it returns and bumps the version.
 * @example adminChange(db, actor, () => ({ result: row, audit: { action: 'permission_created', table: 'posts' } }))
 */
export function adminChange<T>(db: DatabaseSync, actor: Actor, change: () => { result: T; audit: ChangeAudit }): T {
  return transaction(db, () => {
    const { result, audit: entry } = change();
    audit(db, { ...entry, userId: actor.userId, username: actor.username, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null });
    bumpAccessVersion(db);
    return result;
  });
}

/**
 * True when `table` names a tenant table of the main schema of one of `types` (pragma
 * table_list: 'table', 'virtual'). Views are never: reads through a view are decided on the
 * tables it reads. Shadow tables of virtual tables are never: only the module reads them.
 * @example isTenantTable(db, 'posts') // true
 */
export function isTenantTable(db: DatabaseSync, table: string, types: readonly string[] = ['table', 'virtual']): boolean {
  const row = db.prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND lower(name) = lower(?)").get(table) as { name: string; type: string } | undefined;
  return row !== undefined && types.includes(row.type) && !row.name.toLowerCase().startsWith('sqlite_') && !isReservedName(row.name);
}
