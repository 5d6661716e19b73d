/**
 * Issue 7, items 8–9 over HTTP: exactly one owner (no second owner through the users API,
 * ownership moved only by the owner with their password, audited), a cap on a user's active
 * sessions, usernames unique after NFKC + case folding, and URLs in replies built from
 * WCE_PUBLIC_URL rather than the client's Host header.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';

describe('ownership is explicit', () => {
  let server: TestServer;
  let cenv: NewCenv;
  let owner: LoggedIn;
  let admin: LoggedIn;
  let adminId: string;
  const call = (who: LoggedIn, method: string, path: string, body?: unknown) =>
    request(`${server.url}/${cenv.id}${path}`, { method, body, headers: bearer(who.token) });

  before(async () => {
    server = await startServer();
    cenv = await createCenv(server.url);
    owner = await login(server.url, cenv.id, cenv.username, cenv.password);
    const created = await call(owner, 'POST', '/admin/users', { username: 'adam', password: 'long enough pw', role: 'admin' });
    adminId = created.body.id;
    admin = await login(server.url, cenv.id, 'adam', 'long enough pw');
  });
  after(() => server.close());

  test('nobody makes a second owner: not by creating, not by promoting', async () => {
    assert.equal((await call(owner, 'POST', '/admin/users', { username: 'otto', password: 'long enough pw', role: 'owner' })).status, 400);
    const promote = await call(owner, 'PUT', `/admin/users/${adminId}`, { role: 'owner' });
    assert.equal(promote.status, 400);
    const users = (await call(owner, 'GET', '/admin/users')).body.users as Array<{ role: string }>;
    assert.equal(users.filter((u) => u.role === 'owner').length, 1);
  });

  test('transfer-ownership: only the owner, only with the current password; admins and wrong passwords are refused', async () => {
    assert.equal((await call(admin, 'POST', '/admin/transfer-ownership', { user_id: adminId, password: 'long enough pw' })).status, 403);
    const wrong = await call(owner, 'POST', '/admin/transfer-ownership', { user_id: adminId, password: 'not my password' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error.message, /current password/);
    assert.equal((await call(owner, 'POST', '/admin/transfer-ownership', { user_id: 'nobody', password: cenv.password })).status, 404);
    const users = (await call(owner, 'GET', '/admin/users')).body.users as Array<{ id: string; role: string }>;
    assert.equal(users.find((u) => u.id === adminId)!.role, 'admin', 'nothing changed');
  });

  test('transfer-ownership moves ownership, demotes the old owner to admin, logs both out and is audited', async () => {
    const res = await call(owner, 'POST', '/admin/transfer-ownership', { user_id: adminId, password: cenv.password });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.owner.role, 'owner');
    assert.equal((await call(owner, 'GET', '/admin/users')).status, 401, 'the old owner was logged out');
    const newOwner = await login(server.url, cenv.id, 'adam', 'long enough pw');
    assert.equal(newOwner.role, 'owner');
    const oldOwner = await login(server.url, cenv.id, cenv.username, cenv.password);
    assert.equal(oldOwner.role, 'admin');
    assert.equal((await call(oldOwner, 'POST', '/admin/transfer-ownership', { user_id: oldOwner.userId, password: cenv.password })).status, 403);
    const audit = await server.deps.pools.use(cenv.id, (db) => db.prepare("SELECT user_id, detail FROM _wce_audit_log WHERE action = 'ownership_transferred'").all() as Array<{ user_id: string; detail: string }>);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].user_id, owner.userId);
    assert.equal(JSON.parse(audit[0].detail).to, adminId);
  });
});

describe('sessions and usernames', () => {
  let server: TestServer;
  let cenv: NewCenv;
  before(async () => {
    server = await startServer({ env: { WCE_MAX_SESSIONS_PER_USER: '2' } });
    cenv = await createCenv(server.url, { username: 'bob' });
  });
  after(() => server.close());

  test('past max_sessions_per_user a new login revokes the oldest session', async () => {
    const first = await login(server.url, cenv.id, 'bob', cenv.password);
    const second = await login(server.url, cenv.id, 'bob', cenv.password);
    const third = await login(server.url, cenv.id, 'bob', cenv.password);
    const get = (who: LoggedIn) => request(`${server.url}/${cenv.id}/sessions`, { headers: bearer(who.token) });
    assert.equal((await get(first)).status, 401);
    assert.equal((await get(second)).status, 200);
    const listed = await get(third);
    assert.equal(listed.body.sessions.length, 2);
  });

  test('usernames are unique after NFKC and case folding, and log in by any of their forms', async () => {
    const owner = await login(server.url, cenv.id, 'bob', cenv.password);
    for (const lookalike of ['BOB', 'ｂｏｂ', 'Ｂｏｂ']) {
      const res = await request(`${server.url}/${cenv.id}/admin/users`, { body: { username: lookalike, password: 'long enough pw', role: 'user' }, headers: bearer(owner.token) });
      assert.equal(res.status, 409, lookalike);
    }
    assert.equal((await login(server.url, cenv.id, 'BOB', cenv.password)).role, 'owner');
  });
});

describe('URLs in replies', () => {
  test('cenv_url comes from WCE_PUBLIC_URL, whatever Host the client sends', async () => {
    const server = await startServer({ env: { WCE_PUBLIC_URL: 'https://wce.example.com' } });
    try {
      const res = await request(`${server.url}/new`, { body: { username: 'ada', password: 'correct horse battery', name: 'blog' }, headers: { host: 'evil.example' } });
      assert.equal(res.status, 201);
      assert.equal(res.body.cenv_url, 'https://wce.example.com/blog/');
    } finally {
      await server.close();
    }
  });
});
