/**
 * The audit log of a cenv (`_wce_audit_log`). Callers write the entry on the same
 * connection and inside the same transaction as the change it records, so a rolled-back
 * change leaves no entry and a committed one always has one.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { nowIso } from '../tools/time.ts';

/** Statement text is cut to this many characters; the log records, it does not archive. */
export const MAX_AUDIT_STATEMENT = 2000;
const MAX_AUDIT_FIELD = 512;
/** The prepared insert of each connection: every tenant write runs it, prepare once. */
const inserts = new WeakMap<DatabaseSync, StatementSync>();

export interface AuditEntry {
  action: string;
  userId?: string | null;
  username?: string | null;
  table?: string | null;
  rowCount?: number | null;
  statement?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
  userAgent?: string | null;
}

function cut(text: string | null | undefined, max: number): string | null {
  if (text == null) return null;
  return text.length > max ? text.slice(0, max) : text;
}

/**
 * Appends one entry.
 * @example audit(db, { action: 'login_failed', username: 'ada', ip: '127.0.0.1' })
 */
export function audit(db: DatabaseSync, entry: AuditEntry): void {
  let insert = inserts.get(db);
  if (!insert) {
    insert = db.prepare(`INSERT INTO _wce_audit_log
      (at, user_id, username, action, table_name, row_count, statement, detail, ip, user_agent)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    inserts.set(db, insert);
  }
  insert.run(
    nowIso(),
    entry.userId ?? null,
    cut(entry.username, MAX_AUDIT_FIELD),
    entry.action,
    entry.table ?? null,
    entry.rowCount ?? null,
    cut(entry.statement, MAX_AUDIT_STATEMENT),
    entry.detail ? JSON.stringify(entry.detail) : null,
    cut(entry.ip, MAX_AUDIT_FIELD),
    cut(entry.userAgent, MAX_AUDIT_FIELD),
  );
}

/** One audit entry as the admin pages list it. */
export interface AuditRecord {
  id: number;
  at: string;
  user_id: string | null;
  username: string | null;
  action: string;
  table: string | null;
  row_count: number | null;
  statement: string | null;
  detail: unknown;
  ip: string | null;
}

/**
 * The newest `limit` entries, newest first (statements cut to 300 characters: a list, not the record).
 * @example recentAudit(db, 20)[0].action // 'login'
 */
export function recentAudit(db: DatabaseSync, limit: number): AuditRecord[] {
  const rows = db.prepare(`SELECT id, at, user_id, username, action, table_name, row_count, substr(statement, 1, 300) AS statement, detail, ip
    FROM _wce_audit_log ORDER BY id DESC LIMIT ?`).all(limit) as Array<Omit<AuditRecord, 'table' | 'detail'> & { table_name: string | null; detail: string | null }>;
  return rows.map(({ table_name, detail, ...row }) => {
    let parsed: unknown = null;
    try { parsed = detail === null ? null : JSON.parse(detail); } catch { parsed = detail; }
    return { ...row, table: table_name, detail: parsed };
  });
}
