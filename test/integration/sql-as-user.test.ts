/**
 * `as_user` on `POST /{cenv}/sql`: an owner or admin runs SQL with another user's principal
 * and sees exactly what that user's grants and row policies allow; every use is audited
 * under the caller (`sql_as_user`); anyone else gets 403, an unknown user 404.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminWorld, type AdminWorld } from '../security/http-helpers.ts';

let w: AdminWorld;

before(async () => {
  w = await adminWorld();
  const rows = [[w.owner.userId, 'owner note'], [w.user.userId, 'ursula note'], [w.admin.userId, 'admin note']];
  for (const [author, title] of rows) await w.call(w.owner, 'POST', '/sql', { sql: 'INSERT INTO posts (author, title) VALUES (?, ?)', params: [author, title] });
  await w.call(w.owner, 'POST', '/admin/permissions', { table: 'posts', role: 'user', operations: ['select', 'insert'] });
  await w.call(w.owner, 'POST', '/admin/policies', { table: 'posts', name: 'own', commands: ['all'], roles: ['user'], using: 'author = $user_id', check: 'author = $user_id' });
});
after(() => w.close());

describe('POST /{cenv}/sql with as_user', () => {
  test('runs with that user\'s grants and policies', async () => {
    const all = await w.call(w.owner, 'POST', '/sql', { sql: 'SELECT title FROM posts ORDER BY id' });
    assert.equal(all.body.rows.length, 3);
    const as = await w.call(w.admin, 'POST', '/sql', { sql: 'SELECT title FROM posts ORDER BY id', as_user: w.user.userId });
    assert.equal(as.status, 200, JSON.stringify(as.body));
    assert.deepEqual(as.body.rows, [['ursula note']]);
    const batch = await w.call(w.owner, 'POST', '/sql', { statements: [{ sql: 'SELECT count(*) FROM posts' }, { sql: 'SELECT wce_username()' }], as_user: w.user.userId });
    assert.deepEqual(batch.body.results.map((r: { rows: unknown[][] }) => r.rows[0][0]), [1, 'ursula']);
  });

  test('"anonymous" runs as a visitor without a session', async () => {
    const none = await w.call(w.owner, 'POST', '/sql', { sql: 'SELECT title FROM posts', as_user: 'anonymous' });
    assert.equal(none.status, 403, 'no grant to anonymous yet');
    assert.match(none.body.error.message, /anonymous may not select from posts/);
    await w.call(w.owner, 'POST', '/admin/permissions', { table: 'posts', role: 'anonymous', operations: ['select'] });
    const seen = await w.call(w.owner, 'POST', '/sql', { sql: 'SELECT wce_role(), count(title) FROM posts', as_user: 'anonymous' });
    assert.deepEqual(seen.body.rows, [['anonymous', 0]], 'posts has policies and none lets anonymous see a row');
  });

  test('policies refuse what the user could not do', async () => {
    const denied = await w.call(w.owner, 'POST', '/sql', { sql: 'INSERT INTO posts (author, title) VALUES (?, ?)', params: [w.owner.userId, 'forged'], as_user: w.user.userId });
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, /row policy "own"/);
    const ddl = await w.call(w.owner, 'POST', '/sql', { sql: 'DROP TABLE posts', as_user: w.user.userId });
    assert.equal(ddl.status, 403);
  });

  test('is audited under the caller, naming the user and the statement', async () => {
    await w.call(w.admin, 'POST', '/sql', { sql: 'SELECT 42', as_user: w.user.userId });
    const rows = await w.server.deps.pools.use(w.cenv.id, (db) => db.prepare("SELECT username, statement, detail FROM _wce_audit_log WHERE action = 'sql_as_user' ORDER BY id DESC LIMIT 1").get()) as { username: string; statement: string; detail: string };
    assert.equal(rows.username, 'adam');
    assert.equal(rows.statement, 'SELECT 42');
    assert.deepEqual(JSON.parse(rows.detail), { as_user_id: w.user.userId, as_username: 'ursula', as_role: 'user' });
  });

  test('only owners and admins may; an unknown user is 404; bad values 400', async () => {
    const user = await w.call(w.user, 'POST', '/sql', { sql: 'SELECT 1', as_user: w.owner.userId });
    assert.equal(user.status, 403);
    assert.match(user.body.error.message, /only owners and admins/);
    assert.equal((await w.call(null, 'POST', '/sql', { sql: 'SELECT 1', as_user: w.owner.userId })).status, 403);
    assert.equal((await w.call(w.owner, 'POST', '/sql', { sql: 'SELECT 1', as_user: 'no-such-user' })).status, 404);
    assert.equal((await w.call(w.owner, 'POST', '/sql', { sql: 'SELECT 1', as_user: '' })).status, 400);
    assert.equal((await w.call(w.owner, 'POST', '/sql', { sql: 'SELECT 1', as_user: 7 })).status, 400);
    const audited = await w.server.deps.pools.use(w.cenv.id, (db) => db.prepare("SELECT count(*) AS n FROM _wce_audit_log WHERE action = 'sql_as_user' AND username = 'ursula'").get()) as { n: number };
    assert.equal(audited.n, 0, 'a refused attempt runs nothing and claims nothing');
  });
});
