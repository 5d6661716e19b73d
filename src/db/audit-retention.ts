/**
 * Forgetting old audit entries (`audit_retention_days`), a batch at a time: one batch is one
 * short write transaction, so a cenv with millions of old entries never holds the server
 * process (or a writer of that cenv) for long; the sweep simply comes back for the rest.
 *
 * @example purgeAuditBatch(db, cutoff(90)) // entries deleted in this batch
 */
import type { DatabaseSync } from 'node:sqlite';
import { auditIdBounds, firstIdAtOrAfter } from './audit-ids.ts';

/** Entries deleted per batch. */
export const PURGE_BATCH = 5000;

/** The ISO time before which entries are older than `days`. */
export function retentionCutoff(days: number, now = Date.now()): string {
  return new Date(now - days * 86_400_000).toISOString();
}

/**
 * Deletes up to PURGE_BATCH entries written before `cutoff`, oldest first; returns how many.
 * The log is in time order (audit-ids.ts), so only ids below the cutoff's are looked at: a
 * sweep with nothing to delete reads a few rows, not the whole log.
 */
export function purgeAuditBatch(db: DatabaseSync, cutoff: string): number {
  const bounds = auditIdBounds(db);
  if (!bounds) return 0;
  const end = firstIdAtOrAfter(db, cutoff, bounds) ?? bounds.high + 1;
  const result = db.prepare(`DELETE FROM _wce_audit_log WHERE id IN
    (SELECT id FROM _wce_audit_log WHERE id < ? AND at < ? ORDER BY id LIMIT ${PURGE_BATCH})`).run(end, cutoff);
  return Number(result.changes);
}
