/**
 * The access version of a cenv: one counter row (`_wce_access_version`, migration 003) that
 * every change to users, grants or row policies bumps in its own transaction.
 *
 * A tenant connection must notice a change committed by another process before its next
 * statement. Reading the counter every time would cost a query per statement, so the
 * tracker first asks `PRAGMA data_version`, which SQLite answers from memory and which
 * changes only when another connection committed; only then is the counter read. Changes made through this connection itself (tenant DDL) show in the schema
 * cookies, which are read from memory as well.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Bumps the counter; call inside the transaction that changes access data.
 * @example db.exec('BEGIN'); insertPermission(db, …); bumpAccessVersion(db); db.exec('COMMIT')
 */
export function bumpAccessVersion(db: DatabaseSync): void {
  db.prepare('UPDATE _wce_access_version SET version = version + 1 WHERE id = 1').run();
}

/** The current counter value. */
export function readAccessVersion(db: DatabaseSync): number {
  const row = db.prepare('SELECT version FROM _wce_access_version WHERE id = 1').get() as { version: number } | undefined;
  return row?.version ?? 0;
}

/**
 * Watches one connection for changes that invalidate its access state: the access counter
 * (changed by the admin API, usually in another process), the main schema (tenant DDL, here
 * or elsewhere) and the TEMP schema (a rolled-back transaction can undo our policy objects:
 * then they must be built again, never silently missing).
 */
export class VersionTracker {
  private readonly dataVersion: StatementSync;
  private readonly mainSchema: StatementSync;
  private readonly tempSchema: StatementSync;
  private readonly accessVersion: StatementSync;
  private lastData = -1;
  private access = 0;
  private key = '';

  constructor(db: DatabaseSync) {
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.mainSchema = db.prepare('PRAGMA main.schema_version');
    this.tempSchema = db.prepare('PRAGMA temp.schema_version');
    this.accessVersion = db.prepare('SELECT version FROM _wce_access_version WHERE id = 1');
  }

  /** A string naming the access state last built; part of every cache key. */
  get current(): string {
    return this.key;
  }

  private read(): string {
    // data_version moves only when another connection committed: only then can the counter
    // have changed, so the common case skips the table read.
    const data = Number((this.dataVersion.get() as { data_version: number }).data_version);
    if (data !== this.lastData) {
      this.lastData = data;
      this.access = (this.accessVersion.get() as { version: number } | undefined)?.version ?? 0;
    }
    const main = (this.mainSchema.get() as { schema_version: number }).schema_version;
    const temp = (this.tempSchema.get() as { schema_version: number }).schema_version;
    return `${this.access}.${main}.${temp}`;
  }

  /** True when the state must be rebuilt (always the first time). */
  changed(): boolean {
    return this.read() !== this.key;
  }

  /** Records the state after a rebuild (which itself changed the TEMP schema). */
  rebuilt(): void {
    this.key = this.read();
  }
}
