/**
 * Reading and writing a cenv's setting overrides (`_wce_config`), and the main process's
 * cache of the values in force. The registry of keys is settings.ts; this is its storage.
 *
 * Only the main process writes `_wce_config` (the admin API), so its cache is invalidated
 * exactly: by the write itself and when a cenv's file is replaced. Sandbox children read
 * through their connection and re-read when `PRAGMA data_version` says another connection
 * committed (src/db/connection.ts).
 *
 * @example
 *   const settings = await cache.get(cenvId);    // a Map lookup after the first call
 *   transaction(db, () => storeSettings(db, { max_rows: 50 }, server)); cache.invalidate(cenvId);
 */
import type { DatabaseSync } from 'node:sqlite';
import { ValidationError } from '../errors.ts';
import { LoadingCache } from '../tools/loading-cache.ts';
import { prepared } from '../tools/statement-cache.ts';
import { nowIso } from '../tools/time.ts';
import { resolveSettings, settingProblem, type ConfigRow, type ServerSettings, type Settings } from './settings.ts';

/** Every stored override of the cenv on `db`. */
export function readConfigRows(db: DatabaseSync): ConfigRow[] {
  return prepared(db, 'SELECT key, value FROM _wce_config').all() as unknown as ConfigRow[];
}

/**
 * Validates every key of `changes` first, then writes them all; the caller holds the
 * transaction. Throws ValidationError naming the first bad key, having written nothing.
 * @example storeSettings(db, { sql_timeout_ms: 1000 }, server)
 */
export function storeSettings(db: DatabaseSync, changes: Record<string, unknown>, server: ServerSettings): void {
  const entries = Object.entries(changes);
  if (entries.length === 0) throw new ValidationError('give at least one setting to change');
  for (const [key, value] of entries) {
    const problem = settingProblem(key, value, server);
    if (problem) throw new ValidationError(problem);
  }
  const upsert = prepared(db, `INSERT INTO _wce_config (key, value, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const now = nowIso();
  for (const [key, value] of entries) upsert.run(key, JSON.stringify(value), now);
}

/** Removes a cenv's override of `key` (the server's value applies again); false when there was none. */
export function deleteSetting(db: DatabaseSync, key: string): boolean {
  return Number(prepared(db, 'DELETE FROM _wce_config WHERE key = ?').run(key).changes) > 0;
}

/** The main process's settings of each cenv, bounded, invalidated by whoever writes. */
export class SettingsCache extends LoadingCache<Settings> {
  readonly server: ServerSettings;

  /**
   * `read` loads a cenv's rows (through the connection pools in the server); `onLoad` hears
   * each cenv's settings as they are loaded, so state that follows a setting (a pool's size)
   * is set then rather than read on every use.
   */
  constructor(server: ServerSettings, read: (cenvId: string) => Promise<ConfigRow[]>, max = 10_000, onLoad?: (cenvId: string, settings: Settings) => void) {
    super(async (cenvId) => {
      const settings = resolveSettings(await read(cenvId), server);
      onLoad?.(cenvId, settings);
      return settings;
    }, max);
    this.server = server;
  }
}
