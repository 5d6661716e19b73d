/**
 * Checking a cenv file someone uploaded (an import, or a clone through `POST /new`) before it
 * may replace or become a cenv. The file is a copy in the data directory; on success it has
 * been brought to this server's schema, its sessions are gone and its pages are 4096 bytes
 * (a WAL-mode cenv can only take a backup of the same page size). Any problem is a 400 that
 * says what is wrong, and the cenv itself has not been touched.
 *
 * What is checked, in order: SQLite's header and the file's length against it (truncation),
 * `PRAGMA integrity_check`, a WCE schema this version can migrate, WCE's own tables exactly
 * as WCE's migrations make them (a crafted file could otherwise bring a trigger on
 * `_wce_audit_log` that runs in the server process, where no authorizer watches), and exactly
 * one enabled owner with a password hash WCE could have made.
 *
 * It runs in a sandbox child (src/sandbox/inspect-op.ts): a file built to make SQLite slow or
 * hungry costs that child and its deadline, not the server.
 *
 * @example const info = inspectCenvFile('/data/.upload-….tmp'); info.owner.username
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { ValidationError } from '../errors.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion } from './migrate.ts';

/** The page size of every cenv file. */
export const CENV_PAGE_SIZE = 4096;
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** bcrypt as WCE stores it; the cost is checked by whoever verifies against it. */
const HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

/** What the check found. */
export interface InspectInfo {
  /** The schema version the file was made with, and the one it has now. */
  fromVersion: number;
  toVersion: number;
  owner: { id: string; username: string; passwordHash: string };
  users: number;
  tables: number;
  bytes: number;
}

function refuse(reason: string): never {
  throw new ValidationError(`the file cannot be used as a cenv: ${reason}`);
}

/** SQLite's 100-byte header: the magic, and the length it promises. */
function checkHeader(file: string): void {
  const size = statSync(file).size;
  if (size === 0) refuse('it is empty');
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || !header.subarray(0, 16).equals(MAGIC)) refuse('it is not a SQLite database');
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) refuse('its SQLite header is damaged (page size)');
  if (size % pageSize !== 0) refuse(`it is truncated or damaged: ${size} bytes is not a whole number of ${pageSize}-byte pages`);
  // The header's page count is trustworthy when its "version valid for" matches the change counter.
  const pages = header.readUInt32BE(28);
  if (header.readUInt32BE(92) === header.readUInt32BE(24) && pages * pageSize > size) {
    refuse(`it is truncated: its header counts ${pages} pages, the file holds ${size / pageSize}`);
  }
}

/** WCE's own objects (tables, indexes, triggers on `_wce_*`), with whitespace normalised. */
function wceObjects(db: DatabaseSync): Set<string> {
  const rows = db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_schema
    WHERE substr(name, 1, 5) = '_wce_' OR substr(tbl_name, 1, 5) = '_wce_'`).all() as Array<Record<string, string | null>>;
  return new Set(rows.map((r) => [r.type, r.name, r.tbl_name, (r.sql ?? '').replace(/\s+/g, ' ').trim()].join('\u0000')));
}

/** The file's `_wce_*` objects must be exactly those WCE's migrations make at its version. */
function checkWceSchema(db: DatabaseSync, version: number): void {
  const reference = new DatabaseSync(':memory:');
  try {
    migrate(reference, MIGRATIONS.filter((m) => m.version <= version));
    const expected = wceObjects(reference);
    const found = wceObjects(db);
    const extra = [...found].filter((o) => !expected.has(o));
    const missing = [...expected].filter((o) => !found.has(o));
    if (extra.length > 0 || missing.length > 0) {
      const name = (o: string) => o.split('\u0000').slice(0, 2).join(' ');
      const what = extra.length > 0 ? `unexpected or altered ${name(extra[0])}` : `missing ${name(missing[0])}`;
      refuse(`WCE's own tables are not as WCE made them (${what})`);
    }
  } finally {
    reference.close();
  }
}

function owner(db: DatabaseSync): InspectInfo['owner'] {
  const owners = db.prepare("SELECT id, username, password_hash, enabled FROM _wce_users WHERE role = 'owner'").all() as
    Array<{ id: string; username: string; password_hash: string; enabled: number }>;
  if (owners.length !== 1) refuse(owners.length === 0 ? 'it has no owner' : `it has ${owners.length} owners; a cenv has one`);
  const [found] = owners;
  if (found.enabled !== 1) refuse('its owner is disabled');
  if (typeof found.password_hash !== 'string' || !HASH.test(found.password_hash)) refuse("its owner's password hash is not one WCE makes");
  return { id: found.id, username: found.username, passwordHash: found.password_hash };
}

/** Opens the copy as an untrusted file: no schema functions trusted, defensive mode on. */
function openUntrusted(file: string): DatabaseSync {
  const db = new DatabaseSync(file, { open: true, timeout: 0 });
  db.exec('PRAGMA trusted_schema = OFF');
  db.enableDefensive(true);
  db.limits.length = 64 * 1024 * 1024;
  return db;
}

function check(db: DatabaseSync, file: string): InspectInfo {
  const problems = db.prepare('PRAGMA integrity_check(5)').all() as Array<{ integrity_check: string }>;
  if (problems.length !== 1 || problems[0].integrity_check !== 'ok') {
    refuse(`PRAGMA integrity_check reports damage: ${problems.map((p) => p.integrity_check).join('; ').slice(0, 300)}`);
  }
  const fromVersion = schemaVersion(db);
  if (fromVersion === 0) refuse('it is a SQLite database but not a WCE cenv (no _wce_schema_version)');
  if (fromVersion > LATEST_SCHEMA_VERSION) {
    refuse(`it was made by a newer WCE (schema ${fromVersion}; this server knows up to ${LATEST_SCHEMA_VERSION}); upgrade WCE first`);
  }
  checkWceSchema(db, fromVersion);
  migrate(db);
  const info = owner(db);
  // Sessions of the old file would be live logins here; nobody is logged in to a new copy.
  db.exec('DELETE FROM _wce_sessions');
  const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
  if (pageSize !== CENV_PAGE_SIZE) {
    db.exec('PRAGMA journal_mode = DELETE');
    db.exec(`PRAGMA page_size = ${CENV_PAGE_SIZE}`);
    db.exec('VACUUM');
  }
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    fromVersion, toVersion: schemaVersion(db), owner: info,
    users: count('SELECT count(*) AS n FROM _wce_users'),
    tables: count("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 5) <> '_wce_' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"),
    bytes: statSync(file).size,
  };
}

/**
 * Checks `file` and prepares it in place; throws a 400 `ValidationError` naming the problem.
 * The file is closed (its WAL merged) when this returns.
 */
export function inspectCenvFile(file: string): InspectInfo {
  checkHeader(file);
  let db: DatabaseSync;
  try {
    db = openUntrusted(file);
  } catch (error) {
    refuse(`SQLite cannot open it (${(error as Error).message})`);
  }
  try {
    return check(db, file);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode) throw error;
    refuse(`SQLite reports: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
