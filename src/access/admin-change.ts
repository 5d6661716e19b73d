/**
 * One admin change of access data: the change, its audit entry and the access-version bump
 * commit together or not at all (a rolled-back change leaves no audit row, and tenant
 * connections never see a change without the bump that makes them reload).
 */
import type { DatabaseSync } from 'node:sqlite';
import { audit, type AuditEntry } from '../db/audit.ts';
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

/**
 * True when `table` names a tenant table of the main schema (not a view: reads through a view
 * are decided on the tables it reads, so a grant on the view itself would mean nothing).
 */
export function isTenantTable(db: DatabaseSync, table: string): boolean {
  const row = db.prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' AND lower(name) = lower(?)").get(table) as { name: string } | undefined;
  return row !== undefined && !row.name.toLowerCase().startsWith('sqlite_') && !isReservedName(row.name);
}
