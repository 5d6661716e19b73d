/**
 * `POST /{cenv}/sql` over real HTTP: the reply shape, parameters and lossless forms, batches,
 * access control as the owner/user/anonymous see it, audit rows and commit events, and the
 * limits (size → 507, time → 504) that fail only the request that hit them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import type { CommitEvent } from '../../src/db/commit-bus.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;
let user: LoggedIn;
const events: CommitEvent[] = [];

function sql(who: LoggedIn | null, body: unknown, headers: Record<string, string> = {}) {
  return request(`${server.url}/${cenv.id}/sql`, { body, headers: { ...(who ? bearer(who.token) : {}), ...headers } });
}

async function admin(path: string, body: unknown) {
  const response = await request(`${server.url}/${cenv.id}${path}`, { body, headers: bearer(owner.token) });
  assert.equal(response.status, 201, JSON.stringify(response.body));
}

async function config(key: string, value: string) {
  await server.deps.pools.use(cenv.id, (db) => db.prepare("INSERT INTO _wce_config (key, value, updated_at) VALUES (?, ?, '') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value));
  // What the settings API does after a write (settings are cached in the main process).
  server.deps.settings.invalidate(cenv.id);
}

before(async () => {
  server = await startServer();
  server.deps.bus.subscribe((event) => { events.push(event); });
  cenv = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  await admin('/admin/users', { username: 'ursula', password: 'long enough pw', role: 'user' });
  user = await login(server.url, cenv.id, 'ursula', 'long enough pw');
  const created = await sql(owner, { sql: 'CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT NOT NULL, title TEXT, data BLOB)' });
  assert.equal(created.status, 200, JSON.stringify(created.body));
});
after(() => server.close());

describe('POST /{cenv}/sql as the owner', () => {
  test('runs a statement with bound parameters and answers the documented shape', async () => {
    const insert = await sql(owner, { sql: 'INSERT INTO posts (author, title) VALUES (:a, :t)', params: { a: owner.userId, t: 'hello' } });
    assert.equal(insert.status, 200);
    assert.match(insert.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(insert.body, { columns: [], rows: [], changes: 1, last_insert_rowid: 1, truncated: false });
    const select = await sql(owner, { sql: 'SELECT id, title FROM posts WHERE author = ?', params: [owner.userId] });
    assert.deepEqual(select.body, { columns: ['id', 'title'], rows: [[1, 'hello']], changes: 0, last_insert_rowid: 0, truncated: false });
  });

  test('big integers and BLOBs round-trip in their lossless forms', async () => {
    const reply = await sql(owner, { sql: 'SELECT ?, ?', params: [{ $int: '-9223372036854775808' }, { $blob: 'AP8=' }] });
    assert.deepEqual(reply.body.rows, [[{ $int: '-9223372036854775808' }, { $blob: 'AP8=' }]]);
  });

  test('a batch is atomic: one result per statement, or nothing at all', async () => {
    const ok = await sql(owner, { statements: [
      { sql: "INSERT INTO posts (author, title) VALUES ('x', 'one')" },
      { sql: "SELECT title FROM posts WHERE author = 'x'" },
    ] });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.results.length, 2);
    assert.deepEqual(ok.body.results[1].rows, [['one']]);
    const failed = await sql(owner, { statements: [
      { sql: "DELETE FROM posts WHERE author = 'x'" },
      { sql: 'INSERT INTO posts (author) VALUES (NULL)' },
    ] });
    assert.equal(failed.status, 400);
    assert.match(failed.body.error.message, /^statements\[1\]: NOT NULL constraint failed: posts.author/);
    assert.deepEqual((await sql(owner, { sql: "SELECT title FROM posts WHERE author = 'x'" })).body.rows, [['one']]);
  });

  test('client mistakes are 400s with SQLite\'s message, never 5xx', async () => {
    const syntax = await sql(owner, { sql: 'SELEC 1' });
    assert.equal(syntax.status, 400);
    assert.match(syntax.body.error.message, /syntax error/);
    for (const body of [{}, { sql: 'SELECT 1', extra: 1 }, { sql: 'SELECT 1', statements: [] }, { statements: [] }, { sql: 42 },
      { sql: 'SELECT ?', params: 'x' }, { sql: 'SELECT ?', params: [[1]] }, { sql: 'SELECT 1; SELECT 2' }]) {
      const reply = await sql(owner, body);
      assert.equal(reply.status, 400, `${JSON.stringify(body)} → ${reply.status} ${JSON.stringify(reply.body)}`);
      assert.equal(typeof reply.body.error.message, 'string');
    }
  });

  test('committed writes leave audit rows with user, table, count, statement, IP and user agent', async () => {
    await sql(owner, { sql: "UPDATE posts SET title = 'audited' WHERE author = 'x'" }, { 'user-agent': 'sql-api-test/1' });
    const row = await server.deps.pools.use(cenv.id, (db) => db.prepare(
      "SELECT * FROM _wce_audit_log WHERE action = 'update' ORDER BY id DESC LIMIT 1").get()) as Record<string, unknown>;
    assert.equal(row.user_id, owner.userId);
    assert.equal(row.table_name, 'posts');
    assert.equal(row.row_count, 1);
    assert.equal(row.statement, "UPDATE posts SET title = 'audited' WHERE author = 'x'");
    assert.equal(row.ip, '127.0.0.1');
    assert.equal(row.user_agent, 'sql-api-test/1');
  });

  test('the commit-event bus hears about commits only, as kind data', async () => {
    events.length = 0;
    await sql(owner, { sql: "INSERT INTO posts (author, title) VALUES ('h', 'hooked')" });
    await sql(owner, { statements: [{ sql: "INSERT INTO posts (author) VALUES ('h')" }, { sql: 'SELEC' }] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(events.length, 1);
    assert.equal(events[0].cenvId, cenv.id);
    assert.equal(events[0].principal.userId, owner.userId);
    assert.equal(events[0].kind, 'data');
    assert.deepEqual(events[0].writes, [{ table: 'posts', action: 'insert', rows: 1 }]);
  });
});

describe('POST /{cenv}/sql under access control', () => {
  test('without a grant a user and an anonymous caller get 403 naming the table and action', async () => {
    const denied = await sql(user, { sql: 'SELECT * FROM posts' });
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, /user may not select from posts/);
    const anonymous = await sql(null, { sql: 'SELECT * FROM posts' });
    assert.equal(anonymous.status, 403);
    assert.match(anonymous.body.error.message, /anonymous may not select from posts/);
  });

  test('with a grant and the policy author = $user_id a user sees and writes only their own rows', async () => {
    await admin('/admin/permissions', { table: 'posts', role: 'user', operations: ['select', 'insert'] });
    await admin('/admin/policies', { table: 'posts', name: 'own', commands: ['all'], roles: ['user'], using: 'author = $user_id', check: 'author = $user_id' });
    const mine = await sql(user, { sql: 'INSERT INTO posts (author, title) VALUES (?, ?)', params: [user.userId, 'mine'] });
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    const theirs = await sql(user, { sql: 'INSERT INTO posts (author, title) VALUES (?, ?)', params: [owner.userId, 'forged'] });
    assert.equal(theirs.status, 403);
    const seen = await sql(user, { sql: 'SELECT author, title FROM posts' });
    assert.deepEqual(seen.body.rows, [[user.userId, 'mine']]);
  });
});

describe('limits', () => {
  test('a write past max_db_bytes is a 507 and nothing of it is stored', async () => {
    await config('max_db_bytes', '1048576');
    const reply = await sql(owner, { statements: [
      { sql: "INSERT INTO posts (author, title) VALUES ('big', 'first')" },
      { sql: "INSERT INTO posts (author, data) VALUES ('big', randomblob(2000000))" },
    ] });
    assert.equal(reply.status, 507);
    assert.equal(reply.body.error.code, 'WCE_ERR_STORAGE_FULL');
    assert.match(reply.body.error.message, /database is full \(limit 1 MB\); delete data or raise max_db_bytes/);
    assert.deepEqual((await sql(owner, { sql: "SELECT title FROM posts WHERE author = 'big'" })).body.rows, []);
    await config('max_db_bytes', '104857600');
  });

  test('a runaway query is stopped at sql_timeout_ms with a 504 while other requests are answered', async () => {
    await config('sql_timeout_ms', '300');
    const runaway = sql(owner, { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c' });
    for (let i = 0; i < 3; i++) assert.equal((await sql(owner, { sql: 'SELECT 1' })).status, 200);
    const reply = await runaway;
    assert.equal(reply.status, 504);
    assert.match(reply.body.error.message, /300 ms limit .*raise sql_timeout_ms/);
    await config('sql_timeout_ms', '30000');
    assert.equal((await sql(owner, { sql: 'SELECT 1' })).status, 200);
  });
});
