/**
 * One write transaction on a node:sqlite connection: BEGIN, run `fn`, COMMIT; on any
 * failure ROLLBACK and rethrow the original error. A failing ROLLBACK (SQLite may already
 * have rolled back on SQLITE_FULL, NOMEM or BUSY) never replaces the error that caused it.
 *
 * `fn` must be synchronous: node:sqlite is, and a transaction held across an await would let
 * another lease of the same file wait on the busy timeout while blocking the event loop.
 *
 * @example const user = transaction(db, () => insertUser(db, 'ada', hash, 'owner'));
 */
import type { DatabaseSync } from 'node:sqlite';

export function transaction<T>(db: DatabaseSync, fn: () => T, begin: 'BEGIN' | 'BEGIN IMMEDIATE' = 'BEGIN IMMEDIATE'): T {
  db.exec(begin);
  try {
    const result = fn();
    if (result instanceof Promise) throw new TypeError('transaction callbacks must be synchronous');
    db.exec('COMMIT');
    return result;
  } catch (error) {
    rollbackQuietly(db);
    throw error;
  }
}

/** Rolls back the open transaction, if any, without letting a second failure hide the first. */
export function rollbackQuietly(db: DatabaseSync): void {
  if (!db.isTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch {
    // The caller is already throwing the error that matters.
  }
}
