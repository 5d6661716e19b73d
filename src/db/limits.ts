/**
 * Limits on tenant SQL that SQLite enforces itself, and the change signal a connection
 * uses to notice another process's commit. The per-cenv values (time limit, rows, size) are
 * settings (src/cenv/settings.ts); this file applies them to a connection.
 *
 * The size cap is `PRAGMA max_page_count`, so a write that would grow the file past it
 * fails with SQLITE_FULL and its transaction rolls back whole.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** A result is also cut (truncated: true) once its JSON would grow past this many bytes. */
export const MAX_RESULT_BYTES = 32 * 1024 * 1024;

/**
 * Caps the database file at `maxDbBytes` for this connection. SQLite never lowers the cap
 * below the current size, so an over-full cenv can still shrink but not grow.
 */
export function applySizeLimit(db: DatabaseSync, maxDbBytes: number): void {
  const { page_size: pageSize } = db.prepare('PRAGMA page_size').get() as { page_size: number };
  db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(maxDbBytes / pageSize))}`);
}

/**
 * Tells when another connection has committed (PRAGMA data_version), the moment cached
 * settings may be stale. Answered from memory: no I/O.
 * @example const watch = new ChangeWatch(db); if (watch.changed()) reload();
 */
export class ChangeWatch {
  private readonly stmt: StatementSync;
  private last: number;

  constructor(db: DatabaseSync) {
    this.stmt = db.prepare('PRAGMA data_version');
    this.stmt.setReturnArrays(true);
    this.last = this.read();
  }

  /** Reads the pragma; true when another connection committed since the last read. */
  changed(): boolean {
    const now = this.read();
    if (now === this.last) return false;
    this.last = now;
    return true;
  }

  /** The value as of the last read (no I/O). */
  get version(): number {
    return this.last;
  }

  private read(): number {
    return (this.stmt.get() as unknown as [number])[0];
  }
}
