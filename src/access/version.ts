/**
 * The access version of a cenv: one counter row (`_wce_access_version`, migration 003) that
 * every change to users, grants or row policies bumps in its own transaction.
 *
 * A tenant connection must notice a change committed by another process before its next
 * statement. Reading the counter every time would cost a query per statement, so the
 * tracker first asks `PRAGMA data_version`, which SQLite answers from memory and which
 * changes only when another connection committed; only then is the counter read.
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
 *
 * Cost: one in-memory pragma in the common case. The schema cookies are read only when they
 * can have moved: main after another connection committed or after DDL was prepared here;
 * temp while the transaction our objects were built in is still open (and once after).
 */
export class VersionTracker {
  private readonly db: DatabaseSync;
  private readonly dataVersion: () => number;
  private readonly mainSchema: StatementSync;
  private readonly tempSchema: StatementSync;
  private readonly accessVersion: StatementSync;
  private lastData = -1;
  private access = 0;
  private main = 0;
  private temp = 0;
  private watchMain = false;
  private watchTemp = true;
  private key = '';

  /**
   * `dataVersion` supplies PRAGMA data_version when the connection's owner already reads it
   * once per request (src/db/connection.ts); without it the tracker reads the pragma itself.
   */
  constructor(db: DatabaseSync, dataVersion?: () => number) {
    this.db = db;
    const pragma = db.prepare('PRAGMA data_version');
    pragma.setReturnArrays(true);
    this.dataVersion = dataVersion ?? (() => (pragma.get() as unknown as [number])[0]);
    this.mainSchema = db.prepare('PRAGMA main.schema_version');
    this.tempSchema = db.prepare('PRAGMA temp.schema_version');
    this.accessVersion = db.prepare('SELECT version FROM _wce_access_version WHERE id = 1');
  }

  /** A string naming the access state last built; part of every cache key. */
  get current(): string {
    return this.key;
  }

  /** DDL was prepared on this connection: from now on the main schema cookie is watched. */
  watchSchema(): void {
    this.watchMain = true;
  }

  private read(): string {
    const data = this.dataVersion();
    const foreign = data !== this.lastData;
    if (foreign) {
      this.lastData = data;
      this.access = (this.accessVersion.get() as { version: number } | undefined)?.version ?? 0;
    }
    if (foreign || this.watchMain) this.main = (this.mainSchema.get() as { schema_version: number }).schema_version;
    if (this.watchTemp) {
      this.temp = (this.tempSchema.get() as { schema_version: number }).schema_version;
      this.watchTemp = this.db.isTransaction; // read once more after the transaction ends
    }
    return `${this.access}.${this.main}.${this.temp}`;
  }

  /** True when the state must be rebuilt (always the first time). */
  changed(): boolean {
    return this.read() !== this.key;
  }

  /** Records the state after a rebuild (which itself changed the TEMP schema). */
  rebuilt(): void {
    this.watchTemp = true;
    this.key = this.read();
    // Built inside a transaction: a rollback may undo it, so keep watching until it ends.
    this.watchTemp = this.db.isTransaction;
  }
}
