/**
 * One tenant connection to a cenv: the database, the access gate installed on it, the
 * cenv's current settings and the few statements of WCE's own that every request uses.
 * Lives in a sandbox child; the child keeps one per cenv it has served recently.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { openDatabase } from '../cenv/open.ts';
import { migrate } from '../cenv/migrate.ts';
import type { Gate } from './gate.ts';
import { readConfigRows } from '../cenv/settings-store.ts';
import { resolveSettings, type ServerSettings, type Settings } from '../cenv/settings.ts';
import { applySizeLimit, ChangeWatch } from './limits.ts';

/** The largest TEXT or BLOB tenant SQL may make or read (SQLite: "string or blob too big"). */
export const MAX_VALUE_BYTES = 64 * 1024 * 1024;
/** The longest SQL text a tenant statement may have (the SQL route's schema and the guard check it). */
export const MAX_SQL_LENGTH = 100_000;
/** SQLite's own cap on statement text: room for what the row-policy rewrite adds to a tenant statement. */
const MAX_REWRITTEN_SQL_LENGTH = MAX_SQL_LENGTH * 10;

/**
 * Builds the gate for a freshly opened connection (src/access's AccessGuard in production).
 * `dataVersion` is PRAGMA data_version as read at the start of the current request, so the
 * gate and the settings share one read instead of each paying for their own.
 */
export type GateFactory = (db: DatabaseSync, dataVersion: () => number) => Gate;

export class TenantConnection {
  readonly db: DatabaseSync;
  readonly gate: Gate;
  private readonly server: ServerSettings;
  private readonly watch: ChangeWatch;
  private current: Settings;
  /** A write ran since the per-connection state (last_insert_rowid, changes) was cleared. */
  private stateDirty = true;
  private readonly lastChanges: StatementSync;
  private readonly resetRowid: StatementSync;
  private readonly resetChanges: StatementSync;

  /**
   * Opens `file` (which must exist), upgrades its schema and installs the gate.
   * @example const conn = new TenantConnection(cenvFile(dir, id), serverSettings(env), (db, dataVersion) => new AccessGuard(db, { dataVersion }));
   */
  constructor(file: string, server: ServerSettings, makeGate: GateFactory) {
    this.db = openDatabase(file);
    // A single value past this could not be sent back as JSON within a child's memory.
    this.db.limits.length = MAX_VALUE_BYTES;
    this.db.limits.sqlLength = MAX_REWRITTEN_SQL_LENGTH;
    try {
      migrate(this.db);
      this.server = server;
      this.current = resolveSettings(readConfigRows(this.db), server);
      applySizeLimit(this.db, this.current.max_db_bytes);
      this.watch = new ChangeWatch(this.db);
      this.lastChanges = this.db.prepare('SELECT changes(), last_insert_rowid()');
      this.lastChanges.setReturnArrays(true);
      this.lastChanges.setReadBigInts(true);
      this.db.exec('CREATE TEMP TABLE _wce_reset (x)');
      this.resetRowid = this.db.prepare('INSERT OR REPLACE INTO temp._wce_reset (rowid, x) VALUES (0, 0)');
      this.resetChanges = this.db.prepare('UPDATE temp._wce_reset SET x = 0 WHERE 0');
      this.gate = makeGate(this.db, () => this.watch.version);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /**
   * Starts a request on this connection and returns the cenv's settings for it. Reads
   * PRAGMA data_version once (the gate reuses that read): when another connection committed
   * since the last request, the settings are read again. Clears what SQLite remembers per
   * connection when the last request left something (see resetRequestState).
   */
  beginRequest(): Settings {
    return this.gate.trusted(() => {
      if (this.watch.changed()) {
        const next = resolveSettings(readConfigRows(this.db), this.server);
        if (next.max_db_bytes !== this.current.max_db_bytes) applySizeLimit(this.db, next.max_db_bytes);
        this.current = next;
      }
      if (this.stateDirty) this.resetRequestState();
      return this.current;
    });
  }

  /** The settings as of the last `beginRequest`. */
  settings(): Settings {
    return this.current;
  }

  /** A statement that changes rows (or the schema) is about to run: the next request must clear. */
  markDirty(): void {
    this.stateDirty = true;
  }

  /**
   * Clears what SQLite remembers per connection between requests. One connection serves every
   * principal of a cenv, so without this a request's first `last_insert_rowid()` or
   * `changes()` would show the previous request's values, perhaps another user's.
   * Afterwards both read 0 (an UPDATE that matches nothing sets changes() to 0). Only reads
   * leave both as they were, so after a request that only read this is skipped.
   */
  resetRequestState(): void {
    this.gate.trusted(() => {
      this.resetRowid.run();
      this.resetChanges.run();
    });
    this.stateDirty = false;
  }

  /** `changes()` and `last_insert_rowid()` of the statement that just ran. */
  changes(): { changes: number; lastInsertRowid: bigint } {
    const [changes, rowid] = this.gate.trusted(() => this.lastChanges.get()) as unknown as [bigint, bigint];
    return { changes: Number(changes), lastInsertRowid: rowid };
  }

  /** Runs WCE's own SQL text (transaction control) past the tenant rules. */
  system(sql: string): void {
    this.gate.trusted(() => this.db.exec(sql));
  }

  close(): void {
    this.db.close();
  }
}
