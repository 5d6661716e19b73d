/**
 * Test helpers for src/db: a real cenv file in a temp directory and a connection to it with
 * the real access guard (these tests run as the owner unless they test a denial).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/cenv/open.ts';
import { migrate } from '../../src/cenv/migrate.ts';
import type { Principal } from '../../src/auth/principal.ts';
import { AccessGuard } from '../../src/access/guard.ts';
import { TenantConnection } from '../../src/db/connection.ts';
import { serverSettings, type ServerSettings } from '../../src/cenv/settings.ts';

export const OWNER: Principal = { userId: 'u-owner', username: 'owner', role: 'owner', sessionId: 's1' };
export const USER: Principal = { userId: 'u-user', username: 'user', role: 'user', sessionId: 's2' };
export const DEFAULT_SERVER: ServerSettings = serverSettings({});

export interface TempCenv { dir: string; file: string; cleanup(): void }

/** A migrated cenv file in a fresh temp directory; `setup` runs on it first. */
export function tempCenv(setup = ''): TempCenv {
  const dir = mkdtempSync(path.join(tmpdir(), 'wce-db-'));
  const file = path.join(dir, '00000000-0000-4000-8000-000000000001.db');
  const db = openDatabase(file, { create: true });
  migrate(db);
  if (setup) db.exec(setup);
  db.close();
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A TenantConnection on `file` guarded by src/access, as in a sandbox child. */
export function connect(file: string, server: ServerSettings = DEFAULT_SERVER): TenantConnection {
  return new TenantConnection(file, server, (db, dataVersion) => new AccessGuard(db, { dataVersion }));
}

export interface Fixture {
  conn: TenantConnection;
  /** A plain connection for looking at the file behind the guard's back. */
  inspect: DatabaseSync;
  close(): void;
}

/** A temp cenv (`setup` run on it), a guarded connection to it and a plain one; for before/after. */
export function openFixture(setup = ''): Fixture {
  const cenv = tempCenv(setup);
  const conn = connect(cenv.file);
  const inspect = new DatabaseSync(cenv.file);
  return {
    conn,
    inspect,
    close() {
      conn.close();
      inspect.close();
      cenv.cleanup();
    },
  };
}
