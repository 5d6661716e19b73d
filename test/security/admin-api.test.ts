/**
 * The admin API over real HTTP: only owner/admin get in, cross-cenv tokens are refused, the
 * last owner is safe, admins cannot touch the owner, role changes and disabling end sessions,
 * grants and policies are validated (policy expressions prepared against the table) and every
 * change is audited and bumps the access version in the same transaction.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { adminWorld, type AdminWorld } from './http-helpers.ts';
import { readAccessVersion } from '../../src/access/version.ts';

const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/admin/users'], ['POST', '/admin/users', { username: 'x1', password: 'long enough pw', role: 'user' }],
  ['PUT', '/admin/users/some-id', { enabled: false }], ['GET', '/admin/permissions'],
  ['POST', '/admin/permissions', { table: 'posts', role: 'user', operations: ['select'] }], ['PUT', '/admin/permissions/1', { operations: ['select'] }],
  ['DELETE', '/admin/permissions/1'],
  ['GET', '/admin/policies'], ['POST', '/admin/policies', { table: 'posts', name: 'p', commands: ['select'], roles: ['user'], using: '1', kind: 'permissive' }],
  ['PUT', '/admin/policies/1', { using: '1' }], ['DELETE', '/admin/policies/1'],
];

describe('admin API', () => {
  let w: AdminWorld;
  before(async () => { w = await adminWorld(); });
  after(() => w.close());

  const counts = () => w.server.deps.pools.use(w.cenv.id, (db) => ({
    audit: (db.prepare('SELECT count(*) AS n FROM _wce_audit_log').get() as { n: number }).n,
    version: readAccessVersion(db),
  }));

  for (const [method, path, body] of ROUTES) {
    test(`anonymous caller gets 401 on ${method} ${path}`, async () => {
      assert.equal((await w.call(null, method, path, body)).status, 401);
    });
    test(`role user gets 403 on ${method} ${path}`, async () => {
      const res = await w.call(w.user, method, path, body);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'WCE_ERR_FORBIDDEN');
    });
    test(`cross-cenv token: an owner of another cenv gets 401 on ${method} ${path}`, async () => {
      assert.equal((await w.call(w.owner, method, path, body, w.other.id)).status, 401);
    });
  }

  test('POST /admin/users creates a user (201, no hash in the answer), audited and versioned', async () => {
    const before = await counts();
    const res = await w.call(w.admin, 'POST', '/admin/users', { username: 'carol', password: 'long enough pw', role: 'user' });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ['created_at', 'enabled', 'id', 'last_login', 'role', 'username']);
    assert.equal(res.body.enabled, true);
    const after = await counts();
    assert.equal(after.audit, before.audit + 1);
    assert.equal(after.version, before.version + 1);
  });

  const badUsers: Array<[string, unknown, number]> = [
    ['taken username', { username: 'adam', password: 'long enough pw', role: 'user' }, 409],
    ['unknown role', { username: 'dan', password: 'long enough pw', role: 'root' }, 400],
    ['extra property', { username: 'dan', password: 'long enough pw', role: 'user', enabled: false }, 400],
    ['short password', { username: 'dan', password: 'short', role: 'user' }, 400],
    ['a second owner (ownership only moves by transfer)', { username: 'dan', password: 'long enough pw', role: 'owner' }, 400],
  ];
  for (const [label, body, status] of badUsers) {
    test(`POST /admin/users refuses: ${label} (${status}), nothing audited`, async () => {
      const before = await counts();
      assert.equal((await w.call(w.admin, 'POST', '/admin/users', body)).status, status);
      assert.deepEqual(await counts(), before);
    });
  }

  test('nobody can demote or disable the last owner; admins cannot change the owner', async () => {
    const users = (await w.call(w.owner, 'GET', '/admin/users')).body.users;
    const ownerId = users.find((u: { role: string }) => u.role === 'owner').id;
    assert.equal((await w.call(w.owner, 'PUT', `/admin/users/${ownerId}`, { role: 'admin' })).status, 409);
    assert.equal((await w.call(w.owner, 'PUT', `/admin/users/${ownerId}`, { enabled: false })).status, 409);
    assert.equal((await w.call(w.admin, 'PUT', `/admin/users/${ownerId}`, { password: 'taken over now' })).status, 403);
    assert.equal((await w.call(w.admin, 'PUT', `/admin/users/${ownerId}`, { enabled: false })).status, 403);
    assert.equal((await w.call(w.owner, 'GET', '/admin/users')).status, 200, 'the owner still works');
  });

  test('a role change revokes the user\'s sessions at once; disabling does too', async () => {
    await w.call(w.owner, 'POST', '/admin/users', { username: 'erin', password: 'long enough pw', role: 'user' });
    const { login } = await import('../helpers/server.ts');
    const erin = await login(w.server.url, w.cenv.id, 'erin', 'long enough pw');
    assert.equal((await w.call(erin, 'GET', '/sessions')).status, 200);
    assert.equal((await w.call(w.admin, 'PUT', `/admin/users/${erin.userId}`, { role: 'admin' })).status, 200);
    assert.equal((await w.call(erin, 'GET', '/sessions')).status, 401);
    const again = await login(w.server.url, w.cenv.id, 'erin', 'long enough pw');
    assert.equal((await w.call(w.owner, 'PUT', `/admin/users/${erin.userId}`, { enabled: false })).status, 200);
    assert.equal((await w.call(again, 'GET', '/admin/users')).status, 401);
  });

  test('permissions: create (201), list, delete (204); bad grants are 400', async () => {
    await w.server.deps.pools.use(w.cenv.id, (db) => db.exec('CREATE VIEW IF NOT EXISTS posts_view AS SELECT * FROM posts; CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(body)'));
    assert.equal((await w.call(w.admin, 'POST', '/admin/permissions', { table: 'search', role: 'user', operations: ['select'] })).status, 201);
    assert.equal((await w.call(w.admin, 'POST', '/admin/policies', { table: 'search', name: 'p', commands: ['select'], roles: ['user'], using: '1', kind: 'permissive' })).status, 400);
    const created = await w.call(w.admin, 'POST', '/admin/permissions', { table: 'posts', role: 'anonymous', operations: ['select'] });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.operations, ['select']);
    assert.ok((await w.call(w.admin, 'GET', '/admin/permissions')).body.permissions.some((p: { id: number }) => p.id === created.body.id));
    assert.equal((await w.call(w.admin, 'DELETE', `/admin/permissions/${created.body.id}`)).status, 204);
    assert.equal((await w.call(w.admin, 'DELETE', `/admin/permissions/${created.body.id}`)).status, 404);
    for (const body of [
      { table: '_wce_users', role: 'user', operations: ['select'] },
      { table: 'sqlite_schema', role: 'user', operations: ['select'] },
      { table: 'nope', role: 'user', operations: ['select'] },
      { table: 'posts_view', role: 'user', operations: ['select'] },
      { table: 'search_content', role: 'user', operations: ['select'] },
      { table: 'posts', role: 'user', user_id: 'x', operations: ['select'] },
      { table: 'posts', role: 'user', operations: ['drop'] },
      { table: 'posts', role: 'user', operations: [] },
    ]) {
      assert.equal((await w.call(w.admin, 'POST', '/admin/permissions', body)).status, 400, JSON.stringify(body));
    }
  });

  test('permissions: PUT changes a grant\'s operations in one audited step, and refuses bad ones without a change', async () => {
    const created = await w.call(w.admin, 'POST', '/admin/permissions', { table: 'posts', role: 'anonymous', operations: ['select'] });
    assert.equal(created.status, 201);
    const before = await counts();
    const changed = await w.call(w.admin, 'PUT', `/admin/permissions/${created.body.id}`, { operations: ['select', 'insert', 'select'] });
    assert.equal(changed.status, 200);
    assert.deepEqual([changed.body.id, changed.body.table, changed.body.role, changed.body.operations], [created.body.id, 'posts', 'anonymous', ['select', 'insert']]);
    const after = await counts();
    assert.deepEqual([after.audit - before.audit, after.version > before.version], [1, true], 'one audit row, a new access version');
    const entry = await w.server.deps.pools.use(w.cenv.id, (db) => db.prepare("SELECT detail FROM _wce_audit_log WHERE action = 'permission_updated' ORDER BY id DESC").get() as { detail: string });
    assert.deepEqual([JSON.parse(entry.detail).from, JSON.parse(entry.detail).to], [['select'], ['select', 'insert']]);
    for (const [body, status] of [[{ operations: [] }, 400], [{ operations: ['drop'] }, 400], [{ operations: ['select'], table: 'other' }, 400], [{}, 400]] as const) {
      assert.equal((await w.call(w.admin, 'PUT', `/admin/permissions/${created.body.id}`, body)).status, status, JSON.stringify(body));
    }
    assert.equal((await w.call(w.admin, 'PUT', '/admin/permissions/999999', { operations: ['select'] })).status, 404);
    assert.equal((await w.call(w.admin, 'PUT', '/admin/permissions/0', { operations: ['select'] })).status, 400);
    const listed = (await w.call(w.admin, 'GET', '/admin/permissions')).body.permissions.find((p: { id: number }) => p.id === created.body.id);
    assert.deepEqual(listed.operations, ['select', 'insert'], 'the refused changes left it as it was');
    assert.equal((await w.call(w.admin, 'DELETE', `/admin/permissions/${created.body.id}`)).status, 204);
  });

  const badExpressions: Array<[string, string, RegExp]> = [
    ['syntax error', 'author = = 1', /syntax|not valid/],
    ['unknown column (SQLite\'s message)', 'nosuch = 1', /no such column: nosuch/],
    ['escape from the expression', '1) ; DROP TABLE posts; SELECT (1', /one SQL expression/],
    ['reserved table in a subquery', 'EXISTS (SELECT 1 FROM _wce_users)', /reserved/],
    ['load_extension', "load_extension('x') IS NULL", /load_extension/],
    ['SQLite schema table', "EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'x')", /sqlite_(master|schema)/],
    ['pragma function on a reserved table', "EXISTS (SELECT 1 FROM pragma_table_info('_wce_users'))", /table_info/],
    ['RAISE outside a trigger', 'RAISE(IGNORE) IS NULL', /RAISE/],
    ['aggregate', 'count(*) > 0', /misuse of aggregate/],
    ['unknown parameter', 'author = :me', /unknown parameter/],
  ];
  for (const [label, using, message] of badExpressions) {
    test(`policies: a bad expression is 400 and nothing is saved: ${label}`, async () => {
      const before = await counts();
      const res = await w.call(w.admin, 'POST', '/admin/policies', { table: 'posts', name: 'bad', commands: ['select'], roles: ['user'], using, kind: 'permissive' });
      assert.equal(res.status, 400);
      assert.match(res.body.error.message, message);
      assert.deepEqual(await counts(), before);
      assert.equal(await w.server.deps.pools.use(w.cenv.id, (db) => Boolean(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'posts'").get())), true);
    });
  }

  test('policies: create (201), duplicate name (409), update (200), delete (204), audited', async () => {
    const body = { table: 'posts', name: 'own', commands: ['all'], roles: ['user'], using: 'author = $user_id', kind: 'permissive' };
    const before = await counts();
    const created = await w.call(w.owner, 'POST', '/admin/policies', body);
    assert.equal(created.status, 201);
    assert.equal(created.body.using, 'author = $user_id');
    assert.equal((await w.call(w.owner, 'POST', '/admin/policies', body)).status, 409);
    const updated = await w.call(w.owner, 'PUT', `/admin/policies/${created.body.id}`, { kind: 'restrictive', check: "title <> ''" });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.kind, 'restrictive');
    assert.equal((await w.call(w.owner, 'PUT', `/admin/policies/${created.body.id}`, { using: 'nosuch = 1' })).status, 400);
    assert.equal((await w.call(w.owner, 'DELETE', `/admin/policies/${created.body.id}`)).status, 204);
    const after = await counts();
    assert.equal(after.audit, before.audit + 3);
    assert.equal(after.version, before.version + 3);
  });
});
