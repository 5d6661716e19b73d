/**
 * Times in the audit log as ids, without an index on `at`. Entries are appended in time
 * order (each is written inside its write's transaction, under SQLite's write lock, stamped
 * just before COMMIT), so `at` never decreases as the id grows and a binary search over the
 * rowid finds where a time begins: ~log2(ids) point reads, ~25 for a log of ten million.
 * An index on `at` would cost every tenant write one more page (schema/009).
 *
 * If the clock ever stepped back, entries written after the step sit a little out of order;
 * the search then lands near the step, and callers still check `at` on every row they keep
 * or delete, so a time filter can only miss entries right at the step and retention only
 * keeps such entries a little longer.
 *
 * @example const low = firstIdAtOrAfter(db, '2026-01-01T00:00:00.000Z') // null: none that late
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

const statements = new WeakMap<DatabaseSync, { bounds: StatementSync; from: StatementSync }>();

function prepared(db: DatabaseSync): { bounds: StatementSync; from: StatementSync } {
  let found = statements.get(db);
  if (!found) {
    found = {
      bounds: db.prepare('SELECT min(id) AS low, max(id) AS high FROM _wce_audit_log'),
      from: db.prepare('SELECT id, at FROM _wce_audit_log WHERE id >= ? ORDER BY id LIMIT 1'),
    };
    statements.set(db, found);
  }
  return found;
}

/** The first and last ids of the log (null when it is empty). */
export function auditIdBounds(db: DatabaseSync): { low: number; high: number } | null {
  const { low, high } = prepared(db).bounds.get() as { low: number | null; high: number | null };
  return low === null || high === null ? null : { low, high };
}

/**
 * The id of the first entry written at or after `at` (an ISO time), or null when there is none.
 * `bounds` are the log's ends, when the caller has read them already.
 */
export function firstIdAtOrAfter(db: DatabaseSync, at: string, bounds = auditIdBounds(db)): number | null {
  if (!bounds) return null;
  const from = prepared(db).from;
  const entryFrom = (id: number) => from.get(id) as { id: number; at: string };
  // The smallest id m in [low, high] whose first entry at or after m is late enough.
  let low = bounds.low;
  let high = bounds.high + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (entryFrom(middle).at >= at) high = middle;
    else low = middle + 1;
  }
  return low > bounds.high ? null : entryFrom(low).id;
}
