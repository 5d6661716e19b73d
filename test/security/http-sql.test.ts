/**
 * The same attacks over HTTP, through `POST /{cenv}/sql` (sandbox child, AccessGuard), as a
 * hostile user and an anonymous caller, table-driven: each must get the status named and the
 * data — as the owner sees it — must not change. Plus what only HTTP shows: tokens of another
 * cenv, batches, parameters.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { adminWorld, type AdminWorld } from './http-helpers.ts';
import type { LoggedIn } from '../helpers/server.ts';

interface HttpAttack { name: string; as: 'user' | 'anon'; body: unknown; status: number; hidden?: boolean }

const ATTACKS: HttpAttack[] = [
  { name: 'read _wce_users', as: 'user', body: { sql: 'SELECT * FROM _wce_users' }, status: 400 },
  { name: 'quoted "_WCE_sessions"', as: 'anon', body: { sql: 'SELECT * FROM "_WCE_sessions"' }, status: 400 },
  { name: 'pragma_table_info on _wce_users', as: 'user', body: { sql: "SELECT * FROM pragma_table_info('_wce_users')" }, status: 403 },
  { name: 'sqlite_schema', as: 'user', body: { sql: 'SELECT sql FROM sqlite_schema' }, status: 403 },
  { name: 'two statements', as: 'user', body: { sql: 'SELECT 1; DELETE FROM posts' }, status: 400 },
  { name: 'ATTACH', as: 'user', body: { sql: "ATTACH '/tmp/x.db' AS x" }, status: 403 },
  { name: 'VACUUM INTO', as: 'user', body: { sql: "VACUUM INTO '/tmp/wce-http-copy.db'" }, status: 403 },
  { name: 'PRAGMA writable_schema', as: 'user', body: { sql: 'PRAGMA writable_schema = ON' }, status: 403 },
  { name: 'BEGIN through SQL', as: 'user', body: { sql: 'BEGIN' }, status: 403 },
  { name: 'DROP TABLE as a user', as: 'user', body: { sql: 'DROP TABLE posts' }, status: 403 },
  { name: 'load_extension', as: 'user', body: { sql: "SELECT load_extension('x')" }, status: 403 },
  { name: 'insert for another author', as: 'user', body: { sql: "INSERT INTO posts (author, title) VALUES ('nobody', 'x')" }, status: 403 },
  { name: 'anonymous insert', as: 'anon', body: { sql: "INSERT INTO posts (author, title) VALUES ('nobody', 'x')" }, status: 403 },
  { name: 'hidden rows through a subquery', as: 'user', body: { sql: 'SELECT (SELECT group_concat(title) FROM main.posts) AS t' }, status: 200, hidden: true },
  { name: 'hidden rows through a CTE and UNION', as: 'anon', body: { sql: 'WITH c AS (SELECT title FROM posts) SELECT * FROM c UNION SELECT title FROM main.posts' }, status: 200, hidden: true },
  { name: 'update hidden rows', as: 'user', body: { sql: "UPDATE posts SET title = 'owned' WHERE published = 0" }, status: 200 },
  { name: 'hidden rows through a self join', as: 'anon', body: { sql: 'SELECT b.title FROM posts a JOIN main.posts b ON 1' }, status: 200, hidden: true },
  { name: 'hidden rows through EXCEPT', as: 'user', body: { sql: "SELECT title FROM main.posts EXCEPT SELECT 'x'" }, status: 200, hidden: true },
  { name: 'hidden rows through json_each over a subquery', as: 'anon', body: { sql: 'SELECT value FROM json_each((SELECT json_group_array(title) FROM main.posts))' }, status: 200, hidden: true },
  { name: 'bracket-quoted mixed-case main.[POSTS] in a scalar subquery', as: 'anon', body: { sql: 'SELECT (SELECT group_concat(title) FROM main.[POSTS]) AS t' }, status: 200, hidden: true },
  { name: 'DELETE hidden rows with RETURNING', as: 'user', body: { sql: 'DELETE FROM posts WHERE published = 0 RETURNING title' }, status: 200, hidden: true },
  { name: 'upsert onto a hidden row', as: 'user', body: { sql: "INSERT INTO posts (id, author, title) VALUES (2, wce_user_id(), 'x') ON CONFLICT (id) DO UPDATE SET title = 'owned' RETURNING title" }, status: 200, hidden: true },
  { name: 'REPLACE over a hidden row', as: 'user', body: { sql: "REPLACE INTO posts (id, author, title) VALUES (2, wce_user_id(), 'mine')" }, status: 409 },
  { name: 'count(*) over sqlite_schema', as: 'anon', body: { sql: 'SELECT count(*) FROM sqlite_schema' }, status: 403 },
  { name: 'CTE named like the policy view', as: 'user', body: { sql: 'WITH _wce_rls_posts AS (SELECT * FROM main.posts) SELECT * FROM _wce_rls_posts' }, status: 400 },
  { name: 'TEMP trigger as a user', as: 'user', body: { sql: 'CREATE TEMP TRIGGER t AFTER INSERT ON main.posts BEGIN SELECT 1; END' }, status: 403 },
  { name: 'a refused statement rolls back its batch', as: 'user', body: { statements: [{ sql: "INSERT INTO posts (author, title) VALUES (wce_user_id(), 'mine')" }, { sql: 'DELETE FROM _wce_audit_log' }] }, status: 400 },
  { name: 'parameter holding SQL', as: 'user', body: { sql: 'SELECT * FROM posts WHERE title = ?', params: ["x' OR 1=1 --"] }, status: 200 },
  { name: 'named parameter $user_id is a value, not the principal', as: 'user', body: { sql: 'SELECT * FROM posts WHERE author = $user_id', params: { $user_id: 'olga' } }, status: 200, hidden: true },
  { name: 'reserved name inside a batch', as: 'user', body: { statements: [{ sql: 'SELECT 1' }, { sql: 'SELECT * FROM [_wce_users]' }] }, status: 400 },
  { name: 'row-dependent error oracle', as: 'anon', body: { sql: "SELECT id FROM posts WHERE CASE WHEN title LIKE 'HIDDEN%' THEN abs(-9223372036854775808) ELSE 1 END" }, status: 200 },
  { name: 'runaway recursive CTE ends at the deadline', as: 'user', body: { sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r' }, status: 504 },
];

describe('attacks over HTTP (POST /{cenv}/sql)', () => {
  let w: AdminWorld;
  const everything = async () => (await w.call(w.owner, 'POST', '/sql', { sql: 'SELECT * FROM posts ORDER BY id' })).body;
  before(async () => {
    w = await adminWorld();
    // A short deadline for the runaway query (the per-cenv setting wins over the environment).
    await w.server.deps.pools.use(w.cenv.id, (db) => db.exec("INSERT INTO _wce_config (key, value, updated_at) VALUES ('sql_timeout_ms', '1000', '') ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    w.server.deps.settings.invalidate(w.cenv.id);
    for (const body of [
      { table: 'posts', role: 'user', operations: ['select', 'insert', 'update', 'delete'] },
      { table: 'posts', role: 'anonymous', operations: ['select'] },
    ]) assert.equal((await w.call(w.owner, 'POST', '/admin/permissions', body)).status, 201);
    await w.server.deps.pools.use(w.cenv.id, (db) => db.exec('ALTER TABLE posts ADD COLUMN published INTEGER NOT NULL DEFAULT 0'));
    for (const body of [
      { table: 'posts', name: 'visible', commands: ['select'], roles: ['user', 'anonymous'], using: 'published = 1 OR author = $user_id', kind: 'permissive' },
      { table: 'posts', name: 'own', commands: ['insert', 'update', 'delete'], roles: ['user'], using: 'author = $user_id', kind: 'permissive' },
    ]) assert.equal((await w.call(w.owner, 'POST', '/admin/policies', body)).status, 201);
    const seeded = await w.call(w.owner, 'POST', '/sql', { sql: "INSERT INTO posts (author, title, published) VALUES ('olga', 'public post', 1), ('olga', 'HIDDEN draft', 0)" });
    assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
  });
  after(() => w.close());

  for (const attack of ATTACKS) {
    test(`${attack.name} [${attack.as}] → ${attack.status}, data unchanged`, async () => {
      const before = await everything();
      const who: LoggedIn | null = attack.as === 'user' ? w.user : null;
      const res = await w.call(who, 'POST', '/sql', attack.body);
      assert.equal(res.status, attack.status, JSON.stringify(res.body));
      assert.ok(!JSON.stringify(res.body).includes('HIDDEN'), 'hidden rows reached the caller');
      assert.deepEqual(await everything(), before);
    });
  }

  test('after a runaway query the server still answers, for the same and other cenvs', async () => {
    assert.equal((await w.call(w.user, 'POST', '/sql', { sql: 'SELECT 1' })).status, 200);
    assert.equal((await w.call(null, 'POST', '/sql', { sql: 'SELECT 1' }, w.other.id)).status, 200);
  });

  test('a token of another cenv is refused on /sql (401)', async () => {
    const res = await w.call(w.owner, 'POST', '/sql', { sql: 'SELECT 1' }, w.other.id);
    assert.equal(res.status, 401);
  });

  test('a disabled user\'s token stops working on /sql at once', async () => {
    const { login } = await import('../helpers/server.ts');
    await w.call(w.owner, 'POST', '/admin/users', { username: 'victor', password: 'long enough pw', role: 'user' });
    const victor = await login(w.server.url, w.cenv.id, 'victor', 'long enough pw');
    assert.equal((await w.call(victor, 'POST', '/sql', { sql: 'SELECT 1' })).status, 200);
    await w.call(w.admin, 'PUT', `/admin/users/${victor.userId}`, { enabled: false });
    assert.equal((await w.call(victor, 'POST', '/sql', { sql: 'SELECT 1' })).status, 401);
  });
});
