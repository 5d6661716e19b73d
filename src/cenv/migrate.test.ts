import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { openDatabase } from './open.ts';
import { migrate, schemaVersion, MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrate.ts';
import { tempDir } from '../../test/helpers/server.ts';

describe('schema migrations', () => {
  test('a new file gets every migration, in order, recorded once', () => {
    const dir = tempDir();
    const db = openDatabase(`${dir}/a.db`, { create: true });
    assert.deepEqual(migrate(db), MIGRATIONS.map((m) => m.version));
    assert.equal(schemaVersion(db), LATEST_SCHEMA_VERSION);
    assert.deepEqual(migrate(db), [], 'running again applies nothing');
    const rows = db.prepare('SELECT version FROM _wce_schema_version ORDER BY version').all() as Array<{ version: number }>;
    assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
    db.close();
    rmSync(dir, { recursive: true });
  });

  test('a cenv made by an older version upgrades itself and keeps its data', () => {
    const dir = tempDir();
    const db = openDatabase(`${dir}/old.db`, { create: true });
    migrate(db, MIGRATIONS.slice(0, 1));
    assert.equal(schemaVersion(db), 1);
    db.prepare("INSERT INTO _wce_users VALUES ('u1', 'ada', 'h', 'owner', 1, 'x', 'x', NULL)").run();
    assert.equal(db.prepare('SELECT count(*) AS n FROM _wce_config').get()!.n, 0, 'old version had no default config');
    const applied = migrate(db);
    assert.deepEqual(applied, MIGRATIONS.slice(1).map((m) => m.version));
    assert.equal((db.prepare("SELECT value FROM _wce_config WHERE key='session_timeout_hours'").get() as { value: string }).value, '24');
    assert.equal(db.prepare('SELECT count(*) AS n FROM _wce_users').get()!.n, 1);
    db.close();
    rmSync(dir, { recursive: true });
  });

  test('a failing migration rolls back whole and is not recorded', () => {
    const dir = tempDir();
    const db = openDatabase(`${dir}/b.db`, { create: true });
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', sql: 'CREATE TABLE t_ok (x); CREATE TABLE _wce_users (x);' }];
    assert.throws(() => migrate(db, broken), /already exists/);
    assert.equal(schemaVersion(db), 1);
    assert.equal(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 't_ok'").get()!.n, 0);
    db.close();
    rmSync(dir, { recursive: true });
  });

  test('a file newer than this server is refused with a clear message', () => {
    const dir = tempDir();
    const db = openDatabase(`${dir}/c.db`, { create: true });
    migrate(db);
    db.prepare("INSERT INTO _wce_schema_version VALUES (999, 'future', 'x')").run();
    assert.throws(() => migrate(db), /newer than this server knows.*upgrade WCE/);
    db.close();
    rmSync(dir, { recursive: true });
  });

  test('every foreign key column has an index', () => {
    const dir = tempDir();
    const db = openDatabase(`${dir}/d.db`, { create: true });
    migrate(db);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE '\\_wce\\_%' ESCAPE '\\'").all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const fks = db.prepare('SELECT "from" FROM pragma_foreign_key_list(?)').all(name) as Array<{ from: string }>;
      for (const fk of fks) {
        const indexed = (db.prepare('SELECT name FROM pragma_index_list(?)').all(name) as Array<{ name: string }>)
          .some((ix) => (db.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').get(ix.name) as { name: string } | undefined)?.name === fk.from);
        assert.ok(indexed, `${name}.${fk.from} has no index`);
      }
    }
    db.close();
    rmSync(dir, { recursive: true });
  });

  test('connections get the documented pragmas', () => {
    const dir = tempDir();
    const db = openDatabase(`${dir}/e.db`, { create: true });
    const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get()!)[0];
    assert.equal(pragma('journal_mode'), 'wal');
    assert.equal(pragma('foreign_keys'), 1);
    assert.equal(pragma('synchronous'), 1);
    assert.equal(pragma('trusted_schema'), 0);
    assert.equal(pragma('busy_timeout'), 5000);
    db.close();
    rmSync(dir, { recursive: true });
  });
});
