/**
 * The policy debugger over HTTP: with two permissive policies and one restrictive one on a
 * table, `POST /admin/explain` names the right policy for each hidden row, for reads and
 * writes, reports a failing CHECK and a missing grant, and never changes data;
 * `POST /admin/policies/preview` counts what each principal would gain or lose.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;
let alice: LoggedIn;
let bobId: string;
const call = (who: LoggedIn, path: string, body: unknown) => request(`${server.url}/${cenv.id}${path}`, { body, headers: bearer(who.token) });

async function snapshot(): Promise<string> {
  return server.deps.pools.use(cenv.id, (db) => JSON.stringify([
    db.prepare('SELECT * FROM posts ORDER BY id').all(),
    db.prepare('SELECT count(*) AS n FROM _wce_audit_log').get(),
  ]));
}

before(async () => {
  server = await startServer();
  cenv = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  for (const name of ['alice', 'bob']) {
    const res = await call(owner, '/admin/users', { username: name, password: 'long enough pw', role: 'user' });
    assert.equal(res.status, 201);
    if (name === 'bob') bobId = res.body.id;
  }
  alice = await login(server.url, cenv.id, 'alice', 'long enough pw');
  const sql = (text: string, params: unknown[] = []) => call(owner, '/sql', { sql: text, params });
  assert.equal((await sql('CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT, title TEXT, published INTEGER, archived INTEGER)')).status, 200);
  for (const [id, author, published, archived] of [[1, alice.userId, 0, 0], [2, bobId, 1, 0], [3, bobId, 0, 0], [4, alice.userId, 1, 1], [5, bobId, 1, 1]]) {
    assert.equal((await sql('INSERT INTO posts VALUES (?, ?, ?, ?, ?)', [id, author, `post ${id}`, published, archived])).status, 200);
  }
  assert.equal((await call(owner, '/admin/permissions', { table: 'posts', role: 'user', operations: ['select', 'insert', 'update', 'delete'] })).status, 201);
  for (const policy of [
    { name: 'own', kind: 'permissive', using: 'author = $user_id' },
    { name: 'published', kind: 'permissive', using: 'published = 1', commands: ['select'] },
    { name: 'not archived', kind: 'restrictive', using: 'archived = 0' },
  ]) {
    const res = await call(owner, '/admin/policies', { table: 'posts', commands: ['all'], roles: ['user'], ...policy });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
});
after(() => server.close());

describe('POST /admin/explain', () => {
  test('a SELECT: each hidden row with the policy that hid it (two permissive failed, or the restrictive one)', async () => {
    const before = await snapshot();
    const res = await call(owner, '/admin/explain', { sql: 'SELECT id, title FROM posts ORDER BY id', as_user: alice.userId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body;
    assert.deepEqual(body.result, { owner: 5, user: 2, unit: 'rows' });
    assert.equal(body.error, null);
    assert.match(body.rewritten, /_wce_rls_posts__user/);
    assert.deepEqual(body.grants, [{ table: 'posts', operation: 'select', allowed: true }]);
    assert.equal(body.policies.length, 3);
    const reasons = Object.fromEntries(body.hidden.map((h: { row: { id: number }; reasons: Array<{ policy: string }> }) => [h.row.id, h.reasons.map((r) => r.policy).sort()]));
    assert.deepEqual(reasons, { 3: ['own', 'published'], 4: ['not archived'], 5: ['not archived'] });
    assert.equal(body.hidden_total, 3);
    assert.equal(body.hidden[0].row.title, 'post 3');
    assert.equal(await snapshot(), before, 'explaining changed nothing');
  });

  test('the WHERE of the statement limits what is explained', async () => {
    const res = await call(owner, '/admin/explain', { sql: 'SELECT * FROM posts WHERE id >= :from', params: { from: 4 }, as_user: alice.userId });
    assert.deepEqual(res.body.hidden.map((h: { row: { id: number } }) => h.row.id), [4, 5]);
  });

  test('an UPDATE: the rows the user would skip, and nothing updated', async () => {
    const before = await snapshot();
    const res = await call(owner, '/admin/explain', { sql: "UPDATE posts SET title = 'changed' WHERE id > 0", as_user: alice.userId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.result, { owner: 5, user: 1, unit: 'changes' });
    const skipped = res.body.hidden.map((h: { row: { id: number }; reasons: Array<{ policy: string }> }) => [h.row.id, h.reasons.map((r) => r.policy)]);
    // "published" governs only SELECT: for an update, alice's own unarchived row is all she may touch.
    assert.deepEqual(skipped, [[2, ['own']], [3, ['own']], [4, ['not archived']], [5, ['own', 'not archived']]]);
    assert.equal(await snapshot(), before, 'nothing was updated, nothing audited');
  });

  test("an INSERT that a CHECK refuses is reported with the policy's error, and nothing is inserted", async () => {
    const before = await snapshot();
    const res = await call(owner, '/admin/explain', { sql: 'INSERT INTO posts (id, author, title, published, archived) VALUES (9, ?, ?, 0, 0)', params: [bobId, 'forged'], as_user: alice.userId });
    assert.equal(res.status, 200);
    assert.equal(res.body.error.code, 'WCE_ERR_POLICY');
    assert.match(res.body.error.message, /row policy/);
    assert.deepEqual(res.body.result, { owner: 1, user: null, unit: 'changes' });
    assert.equal(await snapshot(), before);
  });

  test('a join is explained by rows, without per-row policies, and says so', async () => {
    const res = await call(owner, '/admin/explain', { sql: 'SELECT a.id FROM posts a JOIN posts b ON a.id = b.id ORDER BY a.id', as_user: alice.userId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.hidden.map((h: { row: { id: number } }) => h.row.id), [3, 4, 5]);
    assert.match(res.body.notes.join(' '), /per row only for statements on one table/);
  });

  test('anonymous without a grant: the denial is reported, not thrown', async () => {
    const res = await call(owner, '/admin/explain', { sql: 'SELECT * FROM posts', as_user: 'anonymous' });
    assert.equal(res.status, 200);
    assert.equal(res.body.error.code, 'WCE_ERR_FORBIDDEN');
    assert.deepEqual(res.body.grants, [{ table: 'posts', operation: 'select', allowed: false }]);
  });

  test('only owners and admins may explain; bad input is a 4xx naming the problem', async () => {
    assert.equal((await call(alice, '/admin/explain', { sql: 'SELECT 1', as_user: alice.userId })).status, 403);
    assert.equal((await call(owner, '/admin/explain', { sql: 'SELECT 1', as_user: 'nobody' })).status, 404);
    const ddl = await call(owner, '/admin/explain', { sql: 'DROP TABLE posts', as_user: alice.userId });
    assert.equal(ddl.status, 400);
    assert.match(ddl.body.error.message, /SELECT, INSERT, UPDATE or DELETE/);
    const reserved = await call(owner, '/admin/explain', { sql: 'SELECT * FROM posts WHERE id IN (SELECT 1 FROM _wce_users)', as_user: alice.userId });
    assert.equal(reserved.status, 400, 'reserved names are refused in explained SQL too');
  });
});

describe('POST /admin/policies/preview', () => {
  test('a draft policy: what each principal sees before and after, and gains or loses; nothing saved', async () => {
    const before = await snapshot();
    const policiesBefore = (await request(`${server.url}/${cenv.id}/admin/policies`, { headers: bearer(owner.token) })).body.policies.length;
    const res = await call(owner, '/admin/policies/preview', { table: 'posts', name: 'drafts too', commands: ['select'], roles: ['user', 'anonymous'], using: 'published = 0' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const byName = Object.fromEntries(res.body.principals.map((p: { user: { username: string | null }; before: number; after: number; gained: number; lost: number }) => [p.user.username ?? 'anonymous', p]));
    assert.deepEqual({ before: byName.alice.before, after: byName.alice.after, gained: byName.alice.gained, lost: byName.alice.lost }, { before: 2, after: 3, gained: 1, lost: 0 });
    assert.deepEqual({ before: byName.anonymous.before, after: byName.anonymous.after, gained: byName.anonymous.gained }, { before: 0, after: 2, gained: 2 });
    assert.equal(await snapshot(), before);
    assert.equal((await request(`${server.url}/${cenv.id}/admin/policies`, { headers: bearer(owner.token) })).body.policies.length, policiesBefore);
    const bad = await call(owner, '/admin/policies/preview', { table: 'posts', commands: ['select'], roles: ['user'], using: 'no_such_column = 1' });
    assert.equal(bad.status, 400);
  });

  test("a table's first policy: before it, every row counts as seen (the table is not protected yet)", async () => {
    assert.equal((await call(owner, '/sql', { sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, public INTEGER)' })).status, 200);
    assert.equal((await call(owner, '/sql', { sql: 'INSERT INTO notes (public) VALUES (1), (0), (1)' })).status, 200);
    const res = await call(owner, '/admin/policies/preview', { table: 'notes', commands: ['select'], roles: ['user'], using: 'public = 1' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const line = (name: string | null) => res.body.principals.find((p: { user: { username: string | null } }) => p.user.username === name);
    assert.deepEqual([line('alice').before, line('alice').after, line('alice').lost], [3, 2, 1]);
    // The first policy protects the table: a role it does not name sees nothing from then on.
    assert.deepEqual([line(null).before, line(null).after, line(null).lost], [3, 0, 3]);
  });
});
