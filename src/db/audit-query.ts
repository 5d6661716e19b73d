/**
 * Reading the audit log (`GET /{cenv}/admin/audit`): filtered, newest first, in pages that
 * continue from a cursor (keyset pagination): the next page holds ids below the cursor, and
 * entries written while someone pages get higher ids, so a page never repeats an entry or
 * skips one, however many are added meanwhile.
 *
 * This runs in the server process, so a page never scans more than SCAN_IDS ids: a filter
 * that matches rarely in a large log yields a short (even empty) page whose cursor continues
 * below what was scanned, rather than one long scan. No index per filter is needed for that,
 * and none is added: every tenant write inserts an audit row, and each index on the log costs
 * that write about 5 µs (measured). Time bounds become id bounds by a binary search over the
 * ids (audit-ids.ts); the time terms are still checked on each row.
 *
 * @example
 *   const page = auditPage(db, { action: 'login_failed', since: '2026-01-01T00:00:00.000Z' }, 50, null);
 *   const next = page.nextCursor === null ? null : auditPage(db, filter, 50, page.nextCursor);
 */
import type { DatabaseSync } from 'node:sqlite';
import type { AuditRecord } from './audit.ts';
import { auditIdBounds, firstIdAtOrAfter } from './audit-ids.ts';

export interface AuditFilter {
  /** A user id or a username. */
  user?: string;
  action?: string;
  table?: string;
  /** ISO times: entries at or after `since`, before `until`. */
  since?: string;
  until?: string;
}

/** One entry as the viewer lists it: the admin pages' record (audit.ts) with the user agent. */
export interface AuditEntryRecord extends AuditRecord {
  user_agent: string | null;
}

/** The columns in the order CSV downloads list them. */
export const AUDIT_COLUMNS = ['id', 'at', 'user_id', 'username', 'action', 'table', 'row_count', 'statement', 'detail', 'ip', 'user_agent'] as const;

interface Row extends Omit<AuditEntryRecord, 'table' | 'detail'> { table_name: string | null; detail: string | null }

function parseDetail(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Ids a page may scan at most. */
export const SCAN_IDS = 20_000;

function filters(filter: AuditFilter): { sql: string; params: string[] } {
  const terms: string[] = [];
  const params: string[] = [];
  const add = (term: string, ...values: string[]) => {
    terms.push(` AND ${term}`);
    params.push(...values);
  };
  if (filter.user !== undefined) add('(user_id = ? OR username = ?)', filter.user, filter.user);
  if (filter.action !== undefined) add('action = ?', filter.action);
  if (filter.table !== undefined) add('table_name = ?', filter.table);
  if (filter.since !== undefined) add('at >= ?', filter.since);
  if (filter.until !== undefined) add('at < ?', filter.until);
  return { sql: terms.join(''), params };
}

/** The ids a filtered read may cover, from the time bounds (audit-ids.ts) and the log's ends. */
function idRange(db: DatabaseSync, filter: AuditFilter): { low: number; high: number } {
  const bounds = auditIdBounds(db);
  if (!bounds) return { low: 1, high: 0 };
  let { low, high } = bounds;
  if (filter.since !== undefined) low = firstIdAtOrAfter(db, filter.since, bounds) ?? bounds.high + 1;
  if (filter.until !== undefined) high = (firstIdAtOrAfter(db, filter.until, bounds) ?? bounds.high + 1) - 1;
  return { low, high };
}

/**
 * Up to `limit` entries matching `filter` with ids below `before` (null: from the newest),
 * and the cursor to continue from (null when nothing older is left). A page may hold fewer
 * than `limit` entries and still have a cursor.
 */
export function auditPage(db: DatabaseSync, filter: AuditFilter, limit: number, before: number | null): { entries: AuditEntryRecord[]; nextCursor: number | null } {
  const { low, high } = idRange(db, filter);
  const top = Math.min(before === null ? Infinity : before - 1, high);
  if (top < low) return { entries: [], nextCursor: null };
  const floor = Math.max(low, top - SCAN_IDS + 1);
  const { sql, params } = filters(filter);
  const rows = db.prepare(`SELECT id, at, user_id, username, action, table_name, row_count, statement, detail, ip, user_agent
    FROM _wce_audit_log WHERE id BETWEEN ? AND ?${sql} ORDER BY id DESC LIMIT ?`).all(floor, top, ...params, limit) as unknown as Row[];
  const entries = rows.map(({ table_name, detail, ...rest }) => ({ ...rest, table: table_name, detail: parseDetail(detail) }));
  if (entries.length === limit) return { entries, nextCursor: entries.at(-1)!.id };
  return { entries, nextCursor: floor > low ? floor : null };
}
