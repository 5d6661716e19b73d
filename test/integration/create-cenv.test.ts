import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, readdirSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { startServer, request, type TestServer } from '../helpers/server.ts';

describe('POST /new creates a cenv', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(() => server.close());

  test('returns 201 with id and url, and the owner can log in', async () => {
    const res = await request(`${server.url}/new`, { body: { username: 'ada', password: 'correct horse', name: 'blog' } });
    assert.equal(res.status, 201);
    assert.match(res.body.cenv_id, /^[0-9a-f-]{36}$/);
    assert.equal(res.body.name, 'blog');
    assert.equal(res.body.cenv_url, `${server.url}/blog/`);
    const login = await request(`${server.url}/blog/login`, { body: { username: 'ada', password: 'correct horse' } });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.role, 'owner');
  });

  test('without a name the url uses the id', async () => {
    const res = await request(`${server.url}/new`, { body: { username: 'bo', password: 'correct horse' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.name, undefined);
    assert.equal(res.body.cenv_url, `${server.url}/${res.body.cenv_id}/`);
  });

  test('files are private: directory 0700, database 0600, schema and defaults in place', async () => {
    const res = await request(`${server.url}/new`, { body: { username: 'cy', password: 'correct horse' } });
    assert.equal(statSync(server.dataDir).mode & 0o777, 0o700);
    const file = `${server.dataDir}/${res.body.cenv_id}.db`;
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(`${server.dataDir}/registry.db`).mode & 0o777, 0o600);
    const db = new DatabaseSync(file, { readOnly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    for (const t of ['_wce_audit_log', '_wce_config', '_wce_row_policies', '_wce_schema_version', '_wce_sessions', '_wce_table_permissions', '_wce_users']) {
      assert.ok(tables.includes(t), `missing ${t}`);
    }
    assert.equal((db.prepare('SELECT count(*) AS n FROM _wce_config').get() as { n: number }).n, 0, 'a new cenv overrides no setting');
    const owner = db.prepare('SELECT username, role, password_hash FROM _wce_users').get() as Record<string, string>;
    assert.deepEqual([owner.username, owner.role], ['cy', 'owner']);
    assert.match(owner.password_hash, /^\$2[aby]\$04\$/);
    db.close();
  });

  test('a taken name answers 409 and creates nothing', async () => {
    const before = readdirSync(server.dataDir).length;
    await request(`${server.url}/new`, { body: { username: 'x', password: 'correct horse', name: 'taken-name' } });
    const files = readdirSync(server.dataDir).length;
    const res = await request(`${server.url}/new`, { body: { username: 'y', password: 'correct horse', name: 'taken-name' } });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'WCE_ERR_CONFLICT');
    assert.match(res.body.error.message, /taken-name.*taken/);
    assert.equal(readdirSync(server.dataDir).length, files);
    assert.ok(files > before);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['missing password', { username: 'a' }, /password/],
    ['missing username', { password: 'correct horse' }, /username/],
    ['username not a string', { username: 5, password: 'correct horse' }, /username.*string/],
    ['empty username', { username: '', password: 'correct horse' }, /username must be 1 to 64/],
    ['username of 65 chars', { username: 'u'.repeat(65), password: 'correct horse' }, /username must be 1 to 64/],
    ['control character in username', { username: 'a\u0000b', password: 'correct horse' }, /control/],
    ['short password', { username: 'a', password: 'short' }, /at least 8/],
    ['password over 1024 bytes', { username: 'a', password: 'é'.repeat(513) }, /at most 1024 bytes/],
    ['name too short', { username: 'a', password: 'correct horse', name: 'ab' }, /3 to 40/],
    ['name with capitals', { username: 'a', password: 'correct horse', name: 'MyApp' }, /a-z/],
    ['name that is a UUID', { username: 'a', password: 'correct horse', name: '123e4567-e89b-12d3-a456-426614174000' }, /UUID|3 to 40/],
    ['reserved name', { username: 'a', password: 'correct horse', name: 'health' }, /reserved/],
    ['reserved name admin', { username: 'a', password: 'correct horse', name: 'admin' }, /reserved/],
    ['unknown field', { username: 'a', password: 'correct horse', role: 'admin' }, /additional/],
    ['array body', [1, 2], /object/],
  ];
  for (const [label, body, message] of invalid) {
    test(`rejects ${label} with 400`, async () => {
      const count = readdirSync(server.dataDir).length;
      const res = await request(`${server.url}/new`, { body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.error.message, message);
      assert.equal(readdirSync(server.dataDir).length, count, 'nothing written');
    });
  }
});

describe('ALLOW_NEW_CENVS=false', () => {
  test('POST /new answers 403 and says why', async () => {
    const server = await startServer({ env: { ALLOW_NEW_CENVS: 'false' } });
    try {
      const res = await request(`${server.url}/new`, { body: { username: 'ada', password: 'correct horse' } });
      assert.equal(res.status, 403);
      assert.match(res.body.error.message, /ALLOW_NEW_CENVS/);
    } finally {
      await server.close();
    }
  });
});
