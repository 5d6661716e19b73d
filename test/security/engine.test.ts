/**
 * The guard inside the data engine (src/db's TenantConnection + runSqlRequest, as a sandbox
 * child runs them): batches are atomic even when the guard rebuilt its policy objects inside
 * the batch, every statement of a batch is guarded on its own, parameters are values, and a
 * refused statement leaves no audit row.
 */
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture, snapshot, type Fixture } from './fixture.ts';
import { TenantConnection } from '../../src/db/connection.ts';
import { serverSettings } from '../../src/cenv/settings.ts';
import { runSqlRequest, type SqlRequest } from '../../src/db/run-sql.ts';
import { AccessGuard } from '../../src/access/guard.ts';
import { createPolicy } from '../../src/access/policies.ts';
import type { Principal } from '../../src/auth/principal.ts';

const SERVER = serverSettings({});

describe('the guard inside the data engine', () => {
  let f: Fixture;
  let conn: TenantConnection;
  beforeEach(() => {
    f = openFixture();
    conn = new TenantConnection(f.file, SERVER, (db, dataVersion) => new AccessGuard(db, { dataVersion }));
  });
  afterEach(() => {
    conn.db.close();
    f.close();
  });

  const send = (who: Principal, request: SqlRequest) => {
    try {
      return { ok: JSON.parse(runSqlRequest(conn, who, {}, request).body) };
    } catch (error) {
      return { status: (error as { statusCode?: number }).statusCode ?? 500, message: (error as Error).message };
    }
  };

  test('a batch whose last statement is refused rolls back the writes before it', () => {
    const before = snapshot(f);
    const res = send(f.alice, { statements: [
      { sql: "INSERT INTO posts (author, title) VALUES (wce_user_id(), 'first')" },
      { sql: "UPDATE posts SET title = 'changed' WHERE id = 1" },
      { sql: 'DELETE FROM notes' },
    ] });
    assert.equal(res.status, 403);
    assert.match(res.message!, /statements\[2\]: permission denied: user may not delete from notes/);
    assert.equal(snapshot(f), before);
  });

  test('policy objects rebuilt inside a rolled-back batch are rebuilt again (writes stay checked)', () => {
    createPolicy(f.admin, { table: 'tags', name: 'none', commands: ['all'], roles: ['user'], using: '0', kind: 'permissive' }, f.actor);
    f.admin.exec("INSERT INTO _wce_table_permissions (table_name, role, can_insert, created_at) VALUES ('tags', 'user', 1, 'x'); UPDATE _wce_access_version SET version = version + 1");
    const failed = send(f.alice, { statements: [{ sql: 'SELECT * FROM tags' }, { sql: 'SELECT * FROM notes' }] });
    assert.equal(failed.status, 403);
    const before = snapshot(f);
    assert.equal(send(f.alice, { sql: "INSERT INTO tags (name) VALUES ('x')" }).status, 403);
    assert.equal(snapshot(f), before);
  });

  test('each statement of a batch is checked: a multi-statement string inside a batch is refused', () => {
    const before = snapshot(f);
    assert.equal(send(f.alice, { statements: [{ sql: 'SELECT 1; DELETE FROM posts' }] }).status, 400);
    assert.equal(send(f.alice, { statements: [{ sql: 'SELECT 1' }, { sql: 'BEGIN' }] }).status, 403);
    assert.equal(snapshot(f), before);
  });

  test('parameters are bound values: a quote in a parameter is just text', () => {
    const res = send(f.alice, { sql: 'SELECT id FROM posts WHERE author = ?', params: ["x' OR 1=1 --"] });
    assert.deepEqual(res.ok.rows, []);
  });

  test('a refused write leaves no audit row; an allowed one leaves exactly one', () => {
    const audits = () => (f.admin.prepare('SELECT count(*) AS n FROM _wce_audit_log').get() as { n: number }).n;
    const start = audits();
    assert.equal(send(f.alice, { sql: "INSERT INTO posts (author, title) VALUES ('someone else', 'x')" }).status, 403);
    assert.equal(audits(), start);
    assert.ok(send(f.alice, { sql: "INSERT INTO posts (author, title) VALUES (wce_user_id(), 'x')" }).ok);
    assert.equal(audits(), start + 1);
  });
});
