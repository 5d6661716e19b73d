/**
 * Per-cenv limits on tenant SQL. The server-wide defaults come from config (environment);
 * a cenv overrides them in `_wce_config` (`sql_timeout_ms`, `max_rows`, `max_db_bytes`).
 * The size cap is enforced by SQLite itself through `PRAGMA max_page_count`, so a write that
 * would grow the file past it fails with SQLITE_FULL and its transaction rolls back whole.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface SqlLimits {
  sqlTimeoutMs: number;
  maxRows: number;
  maxDbBytes: number;
}

/** A result is also cut (truncated: true) once its JSON grows past this many bytes. */
export const MAX_RESULT_BYTES = 32 * 1024 * 1024;

const KEYS: Record<string, keyof SqlLimits> = {
  sql_timeout_ms: 'sqlTimeoutMs',
  max_rows: 'maxRows',
  max_db_bytes: 'maxDbBytes',
};

/**
 * Reads a cenv's overrides on top of `defaults`; a value that is not a positive whole number
 * is ignored (the admin API validates what it stores, this only refuses to crash on it).
 * @example readLimits(db, { sqlTimeoutMs: 30000, maxRows: 1000, maxDbBytes: 104857600 })
 */
export function readLimits(db: DatabaseSync, defaults: SqlLimits): SqlLimits {
  const limits = { ...defaults };
  const rows = db.prepare(
    "SELECT key, value FROM _wce_config WHERE key IN ('sql_timeout_ms', 'max_rows', 'max_db_bytes')",
  ).all() as Array<{ key: string; value: string }>;
  for (const { key, value } of rows) {
    const number = Number(value);
    if (/^\d+$/.test(value.trim()) && number > 0 && Number.isSafeInteger(number)) limits[KEYS[key]] = number;
  }
  return limits;
}

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
 * limits may be stale.
 * @example const watch = new ChangeWatch(db); if (watch.changed()) reload();
 */
export class ChangeWatch {
  private readonly stmt: StatementSync;
  private version: number;

  constructor(db: DatabaseSync) {
    this.stmt = db.prepare('PRAGMA data_version');
    this.stmt.setReturnArrays(true);
    this.version = this.read();
  }

  changed(): boolean {
    const now = this.read();
    if (now === this.version) return false;
    this.version = now;
    return true;
  }

  private read(): number {
    return (this.stmt.get() as unknown as [number])[0];
  }
}
