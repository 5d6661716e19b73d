/**
 * One admin change of access data: the change, its audit entry and the access-version bump
 * commit together or not at all (a rolled-back change leaves no audit row, and tenant
 * connections never see a change without the bump that makes them reload).
 */
import type { DatabaseSync } from 'node:sqlite';
import { audit, type AuditEntry } from '../db/audit.ts';
import { bumpAccessVersion } from './version.ts';

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
  db.exec('BEGIN IMMEDIATE');
  try {
    const { result, audit: entry } = change();
    audit(db, { ...entry, userId: actor.userId, username: actor.username, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null });
    bumpAccessVersion(db);
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Checks that `table` names an existing tenant table (or view) of the main schema. */
export function tenantTableExists(db: DatabaseSync, table: string): boolean {
  return db.prepare("SELECT 1 FROM main.sqlite_schema WHERE type IN ('table', 'view') AND lower(name) = lower(?) AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND lower(name) NOT LIKE '\\_wce\\_%' ESCAPE '\\'").get(table) !== undefined;
}
