/**
 * Reading the audit log (`GET /{cenv}/admin/audit`): filtered, newest first, in pages that
 * continue from a cursor. The cursor is the id of the last entry returned and the next page
 * holds ids below it (keyset pagination): entries written while someone pages get higher
 * ids, so a page never repeats an entry or skips one, however many are added meanwhile.
 * Main process only; WCE's own small queries (migration 008 indexes each filter by id).
 *
 * @example
 *   const page = auditPage(db, { action: 'login_failed', since: '2026-01-01T00:00:00.000Z' }, 50, null);
 *   const next = auditPage(db, filter, 50, page.nextCursor);
 */
import type { DatabaseSync } from 'node:sqlite';

export interface AuditFilter {
  /** A user id or a username. */
  user?: string;
  action?: string;
  table?: string;
  /** ISO times: entries at or after `since`, before `until`. */
  since?: string;
  until?: string;
}

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
  user_agent: string | null;
}

/** The columns in the order CSV downloads list them. */
export const AUDIT_COLUMNS = ['id', 'at', 'user_id', 'username', 'action', 'table', 'row_count', 'statement', 'detail', 'ip', 'user_agent'] as const;

interface Row extends Omit<AuditRecord, 'table' | 'detail'> { table_name: string | null; detail: string | null }

function parseDetail(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function where(filter: AuditFilter, before: number | null): { sql: string; params: Array<string | number> } {
  const terms: string[] = [];
  const params: Array<string | number> = [];
  const add = (term: string, ...values: Array<string | number>) => {
    terms.push(term);
    params.push(...values);
  };
  if (filter.user !== undefined) add('(user_id = ? OR username = ?)', filter.user, filter.user);
  if (filter.action !== undefined) add('action = ?', filter.action);
  if (filter.table !== undefined) add('table_name = ?', filter.table);
  if (filter.since !== undefined) add('at >= ?', filter.since);
  if (filter.until !== undefined) add('at < ?', filter.until);
  if (before !== null) add('id < ?', before);
  return { sql: terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '', params };
}

/**
 * Up to `limit` entries matching `filter` with ids below `before` (null: from the newest),
 * and the cursor of the next page (null when this was the last).
 */
export function auditPage(db: DatabaseSync, filter: AuditFilter, limit: number, before: number | null): { entries: AuditRecord[]; nextCursor: number | null } {
  const { sql, params } = where(filter, before);
  const rows = db.prepare(`SELECT id, at, user_id, username, action, table_name, row_count, statement, detail, ip, user_agent
    FROM _wce_audit_log ${sql} ORDER BY id DESC LIMIT ?`).all(...params, limit + 1) as unknown as Row[];
  const more = rows.length > limit;
  const entries = rows.slice(0, limit).map(({ table_name, detail, ...rest }) => ({ ...rest, table: table_name, detail: parseDetail(detail) }));
  return { entries, nextCursor: more ? entries.at(-1)!.id : null };
}
