/**
 * Applies the numbered schema files in `schema/` to a cenv database, in order, each in its
 * own transaction, and records them in `_wce_schema_version`. A cenv created by an older
 * version of WCE is upgraded the first time it is opened.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';

export interface Migration { version: number; name: string; sql: string }

const SCHEMA_DIR = new URL('./schema/', import.meta.url);
const FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** Reads the migration files once; a malformed file name is a programming error. */
function loadMigrations(): Migration[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE.exec(file);
      if (!match) throw new Error(`schema file ${file} must be named NNN_name.sql`);
      return { version: Number(match[1]), name: match[2], sql: readFileSync(new URL(file, SCHEMA_DIR), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
}

export const MIGRATIONS: readonly Migration[] = loadMigrations();
export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** The highest applied version (0 for a new file). */
export function schemaVersion(db: DatabaseSync): number {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_wce_schema_version'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT max(version) AS v FROM _wce_schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings `db` up to the latest schema. Returns the versions it applied.
 * @example migrate(db) // [1, 2] on a new file, [] on an up-to-date one
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`cenv schema version ${current} is newer than this server knows (${latest}); upgrade WCE`);
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(`CREATE TABLE IF NOT EXISTS _wce_schema_version (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
      db.exec(migration.sql);
      db.prepare("INSERT INTO _wce_schema_version VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))")
        .run(migration.version, migration.name);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    applied.push(migration.version);
  }
  return applied;
}
