/**
 * Running tenant SQL on a real cenv file: parameters, the lossless JSON forms, truncation,
 * atomic batches and their audit rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseSync } from 'node:sqlite';
import { runSqlRequest, type SqlRequest } from './run-sql.ts';
import type { TenantConnection } from './connection.ts';
import { OWNER, openFixture } from '../../test/helpers/tenant.ts';

let conn: TenantConnection;
let inspect: DatabaseSync;
let close: () => void;

function sql(request: SqlRequest) {
  const reply = runSqlRequest(conn, OWNER, { ip: '10.0.0.1', userAgent: 'test-agent' }, request);
  return { ...JSON.parse(reply.body), writes: reply.writes };
}

function failure(request: SqlRequest): { status: number; message: string; code: string } {
  try {
    sql(request);
  } catch (error) {
    const e = error as { statusCode: number; message: string; code: string };
    return { status: e.statusCode, message: e.message, code: e.code };
  }
  assert.fail('expected the request to fail');
}

function count(): number {
  return (inspect.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
}

function auditRows(): Array<{ action: string; table_name: string; row_count: number | null; statement: string; ip: string; user_agent: string; user_id: string }> {
  return inspect.prepare('SELECT * FROM _wce_audit_log ORDER BY id').all() as never;
}

before(() => {
  ({ conn, inspect, close } = openFixture(`CREATE TABLE t (id INTEGER PRIMARY KEY, a, b TEXT UNIQUE);
    WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2500) INSERT INTO t (a) SELECT x FROM c;`));
});
after(() => close());

describe('parameters', () => {
  test('positional ? and ?NNN bind in order and by number', () => {
    assert.deepEqual(sql({ sql: 'SELECT ?, ?', params: [1, 'two'] }).rows, [[1, 'two']]);
    assert.deepEqual(sql({ sql: 'SELECT ?2, ?1', params: ['a', 'b'] }).rows, [['b', 'a']]);
  });
  test('named :x, @x and $x bind with or without the prefix in the key', () => {
    assert.deepEqual(sql({ sql: 'SELECT :x, @y, $z', params: { x: 1, y: 2, z: 3 } }).rows, [[1, 2, 3]]);
    assert.deepEqual(sql({ sql: 'SELECT :x', params: { ':x': 'p' } }).rows, [['p']]);
  });
  test('whole numbers bind as INTEGER, fractions as REAL, booleans as 1/0, null as NULL', () => {
    const { rows } = sql({ sql: 'SELECT typeof(?), typeof(?), ?, ?, typeof(?)', params: [5, 5.5, true, false, null] });
    assert.deepEqual(rows, [['integer', 'real', 1, 0, 'null']]);
  });
  test('parameters are bound, never interpolated', () => {
    const evil = "x'); DROP TABLE t; --";
    assert.deepEqual(sql({ sql: 'SELECT ?', params: [evil] }).rows, [[evil]]);
    assert.equal(count(), 2500);
  });
  test('bad params are 400s that say what is wrong', () => {
    assert.equal(failure({ sql: 'SELECT ?', params: [[1]] }).status, 400);
    assert.match(failure({ sql: 'SELECT ?', params: [{ a: 1 }] }).message, /params\[0\]/);
    assert.equal(failure({ sql: 'SELECT ?', params: 'nope' }).status, 400);
    assert.match(failure({ sql: 'SELECT :a', params: { a: 1, b: 2 } }).message, /Unknown named parameter/);
    assert.equal(failure({ sql: 'SELECT ?', params: [{ $int: '99999999999999999999' }] }).status, 400);
    assert.equal(failure({ sql: 'SELECT ?', params: [{ $blob: 'not base64!' }] }).status, 400);
    assert.equal(failure({ sql: 'SELECT :a', params: JSON.parse('{"a": 1, "__proto__": {"$blob": "AA=="}}') }).status, 400);
  });
});

describe('lossless JSON forms', () => {
  test('integers beyond 2^53 round-trip as {"$int"}', () => {
    const big = '9223372036854775807';
    const { rows } = sql({ sql: 'SELECT ?, typeof(?), 9007199254740993, -9223372036854775808', params: [{ $int: big }, { $int: big }] });
    assert.deepEqual(rows, [[{ $int: big }, 'integer', { $int: '9007199254740993' }, { $int: '-9223372036854775808' }]]);
  });
  test('BLOBs round-trip as {"$blob": base64}', () => {
    const { rows } = sql({ sql: "SELECT ?, typeof(?), x'00ff10'", params: [{ $blob: 'AAEC' }, { $blob: 'AAEC' }] });
    assert.deepEqual(rows, [[{ $blob: 'AAEC' }, 'blob', { $blob: 'AP8Q' }]]);
  });
  test('infinite reals come back as {"$real"}', () => {
    assert.deepEqual(sql({ sql: 'SELECT 1e999, -1e999, 1.5' }).rows, [[{ $real: 'Infinity' }, { $real: '-Infinity' }, 1.5]]);
  });
});

describe('results', () => {
  test('the reply has columns, rows, changes, last_insert_rowid and truncated', () => {
    const reply = sql({ sql: 'SELECT id, a FROM t WHERE id <= 2 ORDER BY id' });
    assert.deepEqual(reply.columns, ['id', 'a']);
    assert.deepEqual(reply.rows, [[1, 1], [2, 2]]);
    assert.equal(reply.changes, 0);
    assert.equal(reply.last_insert_rowid, 0);
    assert.equal(reply.truncated, false);
  });
  test('more rows than max_rows are cut with truncated: true', () => {
    const reply = sql({ sql: 'SELECT id, a FROM t' });
    assert.equal(reply.rows.length, 1000);
    assert.equal(reply.truncated, true);
    assert.equal(sql({ sql: 'SELECT id, a FROM t LIMIT 1000' }).truncated, false);
  });
  test('an insert reports changes and the new rowid; RETURNING rows come back', () => {
    const reply = sql({ sql: 'INSERT INTO t (a, b) VALUES (?, ?) RETURNING id, a', params: ['r', 'ret'] });
    assert.deepEqual(reply.columns, ['id', 'a']);
    assert.deepEqual(reply.rows, [[2501, 'r']]);
    assert.equal(reply.changes, 1);
    assert.equal(reply.last_insert_rowid, 2501);
    const del = sql({ sql: 'DELETE FROM t WHERE id = ?', params: [2501] });
    assert.equal(del.changes, 1);
    assert.equal(del.last_insert_rowid, 0);
  });
  test('syntax errors are 400 with SQLite\'s message', () => {
    const { status, message } = failure({ sql: 'SELEC 1' });
    assert.equal(status, 400);
    assert.match(message, /near "SELEC": syntax error/);
    assert.equal(failure({ sql: 'SELECT * FROM missing' }).status, 400);
  });
  test('a value larger than 64 MB is refused with a 400, before any memory is spent on it', () => {
    const { status, message } = failure({ sql: 'SELECT length(randomblob(?))', params: [65 * 1024 * 1024] });
    assert.equal(status, 400);
    assert.match(message, /string or blob too big/);
  });
  test('a UNIQUE violation is a 409', () => {
    sql({ sql: "INSERT INTO t (b) VALUES ('dup')" });
    assert.equal(failure({ sql: "INSERT INTO t (b) VALUES ('dup')" }).status, 409);
  });
});

describe('batches and audit', () => {
  test('a batch runs atomically and answers one result per statement', () => {
    const before = auditRows().length;
    const reply = sql({ statements: [
      { sql: "INSERT INTO t (b) VALUES ('b1')" },
      { sql: 'UPDATE t SET a = ? WHERE b = ?', params: ['x', 'b1'] },
      { sql: "SELECT a FROM t WHERE b = 'b1'" },
    ] });
    assert.equal(reply.results.length, 3);
    assert.equal(reply.results[1].changes, 1);
    assert.deepEqual(reply.results[2].rows, [['x']]);
    const audit = auditRows().slice(before);
    assert.deepEqual(audit.map((r) => [r.action, r.table_name, r.row_count]), [['insert', 't', 1], ['update', 't', 1]]);
    assert.equal(audit[0].user_id, OWNER.userId);
    assert.equal(audit[0].ip, '10.0.0.1');
    assert.equal(audit[0].user_agent, 'test-agent');
    assert.match(audit[1].statement, /^UPDATE t SET a = \?/);
    assert.deepEqual(reply.writes.map((w: { action: string }) => w.action), ['insert', 'update']);
  });
  test('any failure rolls the whole batch back and leaves no audit row', () => {
    const before = auditRows().length;
    const rows = count();
    const { status, message } = failure({ statements: [
      { sql: "INSERT INTO t (b) VALUES ('gone')" },
      { sql: 'DELETE FROM t' },
      { sql: 'INSERT INTO nope VALUES (1)' },
    ] });
    assert.equal(status, 400);
    assert.match(message, /^statements\[2\]: no such table: nope/);
    assert.equal(count(), rows);
    assert.equal(auditRows().length, before);
  });
  test('reads leave no audit row and report no writes', () => {
    const before = auditRows().length;
    assert.deepEqual(sql({ sql: 'SELECT 1' }).writes, []);
    assert.equal(auditRows().length, before);
  });
  test('DDL is audited with its kind and object', () => {
    sql({ sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)' });
    const last = auditRows().at(-1)!;
    assert.equal(last.action, 'create_table');
    assert.equal(last.table_name, 'notes');
    assert.equal(last.row_count, null);
  });
  test('a failed single write leaves no audit row', () => {
    const before = auditRows().length;
    assert.equal(failure({ sql: "INSERT INTO t (b) VALUES ('dup')" }).status, 409);
    assert.equal(auditRows().length, before);
  });
});
