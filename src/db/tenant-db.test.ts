/**
 * The internal database API: transactions, savepoints, limits from _wce_config, the size
 * cap (507 with nothing half-written) and the cooperative deadline.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseSync } from 'node:sqlite';
import { TenantDb } from './tenant-db.ts';
import type { TenantConnection } from './connection.ts';
import { OWNER, USER, openFixture } from '../../test/helpers/tenant.ts';

let conn: TenantConnection;
let inspect: DatabaseSync;
let close: () => void;

function count(table: string): number {
  return (inspect.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

before(() => {
  ({ conn, inspect, close } = openFixture('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, data BLOB);'));
});
after(() => close());

describe('transactions', () => {
  test('commit on return, with the writes reported once committed', () => {
    const tdb = new TenantDb(conn, OWNER);
    const id = tdb.transaction(() => {
      const { lastInsertRowid } = tdb.execute('INSERT INTO items (name) VALUES (?)', ['a']);
      tdb.execute('UPDATE items SET name = ? WHERE id = ?', ['b', lastInsertRowid]);
      assert.deepEqual(tdb.committed, []);
      return lastInsertRowid;
    });
    assert.equal(typeof id, 'number');
    assert.deepEqual(tdb.committed, [
      { table: 'items', action: 'insert', rows: 1 },
      { table: 'items', action: 'update', rows: 1 },
    ]);
  });

  test('a throw rolls everything back, audit rows included', () => {
    const tdb = new TenantDb(conn, OWNER);
    const [items, audits] = [count('items'), count('_wce_audit_log')];
    assert.throws(() => tdb.transaction(() => {
      tdb.execute("INSERT INTO items (name) VALUES ('x')");
      throw new Error('changed my mind');
    }), /changed my mind/);
    assert.equal(count('items'), items);
    assert.equal(count('_wce_audit_log'), audits);
    assert.deepEqual(tdb.committed, []);
    assert.equal(conn.db.isTransaction, false);
  });

  test('nested transactions are savepoints: a caught inner failure undoes only the inner part', () => {
    const tdb = new TenantDb(conn, OWNER);
    const items = count('items');
    tdb.transaction(() => {
      tdb.execute("INSERT INTO items (name) VALUES ('outer')");
      assert.throws(() => tdb.transaction(() => {
        tdb.execute("INSERT INTO items (name) VALUES ('inner')");
        throw new Error('inner fails');
      }));
      tdb.transaction(() => tdb.execute("INSERT INTO items (name) VALUES ('inner ok')"));
    });
    assert.equal(count('items'), items + 2);
    assert.deepEqual(tdb.query("SELECT name FROM items WHERE name LIKE 'inner%'").rows, [['inner ok']]);
    assert.deepEqual(tdb.committed.map((w) => w.rows), [1, 1]);
  });

  test('the principal is checked by the gate', () => {
    const tdb = new TenantDb(conn, USER);
    assert.throws(() => tdb.query('SELECT name FROM items'), { statusCode: 403, message: 'permission denied: user may not select from items' });
  });
});

describe('transaction options and raw values (Starlark endpoints)', () => {
  test('rollback: true leaves no row, no audit row and reports nothing committed, even when fn returns', () => {
    const tdb = new TenantDb(conn, OWNER);
    const [items, audits] = [count('items'), count('_wce_audit_log')];
    const seen = tdb.transaction(() => {
      tdb.execute("INSERT INTO items (name) VALUES ('trial')");
      return tdb.query("SELECT count(*) FROM items WHERE name = 'trial'").rows[0][0];
    }, { rollback: true });
    assert.equal(seen, 1, 'the work saw its own write');
    assert.equal(count('items'), items);
    assert.equal(count('_wce_audit_log'), audits);
    assert.deepEqual(tdb.committed, []);
    assert.equal(conn.db.isTransaction, false);
  });

  test('deferred: a write after a read whose snapshot went stale is marked as a lock conflict', () => {
    const tdb = new TenantDb(conn, OWNER);
    assert.throws(() => tdb.transaction(() => {
      tdb.query('SELECT count(*) FROM items');
      inspect.exec("INSERT INTO items (name) VALUES ('someone else')");
      tdb.execute("INSERT INTO items (name) VALUES ('mine')");
    }, { mode: 'deferred' }), { statusCode: 503 });
    assert.equal(tdb.lockConflict, true);
    assert.equal(conn.db.isTransaction, false);
    // Done again with the write lock taken at the start, it succeeds.
    const retry = new TenantDb(conn, OWNER);
    retry.transaction(() => {
      retry.query('SELECT count(*) FROM items');
      retry.execute("INSERT INTO items (name) VALUES ('mine')");
    }, { mode: 'immediate' });
    assert.equal(retry.lockConflict, false);
    assert.deepEqual(retry.committed, [{ table: 'items', action: 'insert', rows: 1 }]);
  });

  test('deferred: a transaction that only reads commits without taking the write lock', () => {
    const tdb = new TenantDb(conn, OWNER);
    inspect.exec('BEGIN IMMEDIATE');
    try {
      const n = tdb.transaction(() => tdb.query('SELECT count(*) FROM items').rows[0][0], { mode: 'deferred' });
      assert.equal(typeof n, 'number');
    } finally {
      inspect.exec('ROLLBACK');
    }
  });

  test('rawValues: rows keep bigint and Uint8Array; runBound binds a whole float as REAL', () => {
    const tdb = new TenantDb(conn, OWNER, {}, { rawValues: true });
    const { rows } = tdb.runBound('SELECT ?, ?, ?, typeof(?)', { positional: [9007199254740993n, new Uint8Array([0, 255]), 1.5, 2] });
    assert.deepEqual(rows[0], [9007199254740993n, new Uint8Array([0, 255]), 1.5, 'real']);
    const json = new TenantDb(conn, OWNER).run('SELECT ?', [{ $blob: 'AP8=' }]);
    assert.deepEqual(json.rows[0], [{ $blob: 'AP8=' }], 'the JSON forms are unchanged without the option');
  });
});

describe('limits', () => {
  test('per-cenv max_rows from _wce_config overrides the default', () => {
    inspect.exec("INSERT INTO _wce_config (key, value, updated_at) VALUES ('max_rows', '3', '') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    const result = new TenantDb(conn, OWNER).query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT x FROM c');
    assert.equal(result.rows.length, 3);
    assert.equal(result.truncated, true);
  });

  test('a write past max_db_bytes is a 507 and leaves nothing half-written', () => {
    inspect.exec("INSERT INTO _wce_config (key, value, updated_at) VALUES ('max_db_bytes', '1048576', '') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    const tdb = new TenantDb(conn, OWNER);
    const [items, audits] = [count('items'), count('_wce_audit_log')];
    assert.throws(
      () => tdb.execute("INSERT INTO items (name, data) VALUES ('big', randomblob(1200000))"),
      (error: Error & { statusCode?: number }) => {
        assert.equal(error.statusCode, 507);
        assert.equal(error.message, 'database is full (limit 1 MB); delete data or raise max_db_bytes');
        return true;
      },
    );
    assert.equal(count('items'), items);
    assert.equal(count('_wce_audit_log'), audits);
    assert.equal(conn.db.isTransaction, false);
    // Small writes still fit.
    new TenantDb(conn, OWNER).execute("INSERT INTO items (name) VALUES ('small')");
    assert.equal(count('items'), items + 1);
  });

  test('the deadline is checked between statements (the cooperative half)', () => {
    inspect.exec("INSERT INTO _wce_config (key, value, updated_at) VALUES ('sql_timeout_ms', '20', '') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    const tdb = new TenantDb(conn, OWNER);
    const until = Date.now() + 40;
    while (Date.now() < until) { /* let the deadline pass */ }
    assert.throws(() => tdb.query('SELECT 1'), (error: Error & { statusCode?: number }) => {
      assert.equal(error.statusCode, 504);
      assert.match(error.message, /longer than the 20 ms limit; .*raise sql_timeout_ms/);
      return true;
    });
  });
});

describe('result columns', () => {
  test('follow the schema: SELECT * after a column is added here or renamed by another connection', () => {
    const tdb = new TenantDb(conn, OWNER);
    tdb.run('CREATE TABLE shapes (id INTEGER PRIMARY KEY, name TEXT)');
    tdb.run("INSERT INTO shapes (name) VALUES ('square')");
    assert.deepEqual(tdb.run('SELECT * FROM shapes').columns, ['id', 'name']);
    assert.deepEqual(tdb.run('SELECT * FROM shapes').columns, ['id', 'name'], 'the same again (read once per statement)');
    tdb.run('ALTER TABLE shapes ADD COLUMN sides INTEGER');
    const added = tdb.run('SELECT * FROM shapes');
    assert.deepEqual([added.columns, added.rows], [['id', 'name', 'sides'], [[1, 'square', null]]]);
    inspect.exec('ALTER TABLE shapes RENAME COLUMN name TO label');
    assert.deepEqual(new TenantDb(conn, OWNER).run('SELECT * FROM shapes').columns, ['id', 'label', 'sides']);
  });
});
