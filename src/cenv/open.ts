/**
 * Opening a cenv database file with the pragmas every connection must have.
 * Used by the main process and by the sandbox children alike.
 */
import { DatabaseSync } from 'node:sqlite';
import { closeSync, openSync } from 'node:fs';

export interface OpenOptions {
  /** Create the file (mode 0600) when it does not exist; otherwise a missing file is an error. */
  create?: boolean;
  busyTimeoutMs?: number;
}

/**
 * Opens `file` and applies the connection pragmas: foreign keys, WAL, synchronous=NORMAL,
 * busy timeout, trusted_schema=OFF and SQLite's defensive mode (no writes to the schema
 * through PRAGMA writable_schema, no shadow-table corruption).
 */
export function openDatabase(file: string, options: OpenOptions = {}): DatabaseSync {
  if (options.create) {
    // Create the file ourselves so it gets mode 0600 regardless of the umask; 'wx' fails if
    // it exists, which the caller treats as "already there".
    closeSync(openSync(file, 'wx', 0o600));
  }
  const db = new DatabaseSync(file, { open: true, enableForeignKeyConstraints: true, timeout: options.busyTimeoutMs ?? 5000 });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA trusted_schema = OFF');
    db.exec('PRAGMA foreign_keys = ON');
    db.enableDefensive(true);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

