import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { SignJWT } from 'jose';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv } from '../helpers/server.ts';

describe('authentication hook and sessions', () => {
  let server: TestServer;
  let a: NewCenv;
  let b: NewCenv;
  before(async () => {
    server = await startServer();
    a = await createCenv(server.url, { name: 'cenv-a' });
    b = await createCenv(server.url, { name: 'cenv-b' });
  });
  after(() => server.close());

  test('no credentials: anonymous, so /sessions answers 401 asking to log in', async () => {
    const res = await request(`${server.url}/${a.id}/sessions`);
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /log in/);
  });

  test('a bearer token works on its own cenv and is refused on another', async () => {
    const session = await login(server.url, a.id, a.username, a.password);
    assert.equal((await request(`${server.url}/${a.id}/sessions`, { headers: bearer(session.token) })).status, 200);
    assert.equal((await request(`${server.url}/cenv-a/sessions`, { headers: bearer(session.token) })).status, 200);
    // Cenv b's settings are in memory too now, so the refusal below is decided on the path
    // that answers from memory (the token verified and its session checked on cenv a).
    assert.equal((await request(`${server.url}/${b.id}/sessions`)).status, 401);
    const other = await request(`${server.url}/${b.id}/sessions`, { headers: bearer(session.token) });
    assert.equal(other.status, 401);
    assert.match(other.body.error.message, /another cenv/);
  });

  const badTokens: Array<[string, (t: string) => string]> = [
    ['tampered payload', (t) => { const [h, p, s] = t.split('.'); return [h, p.slice(0, -2) + (p.endsWith('A') ? 'BB' : 'AA'), s].join('.'); }],
    ['tampered signature', (t) => t.slice(0, -3) + (t.endsWith('a') ? 'bbb' : 'aaa')],
    ['alg none', (t) => { const [, p] = t.split('.'); return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`; }],
    ['garbage', () => 'not-a-token'],
  ];
  for (const [label, mangle] of badTokens) {
    test(`401 for a ${label} token`, async () => {
      const session = await login(server.url, a.id, a.username, a.password);
      const res = await request(`${server.url}/${a.id}/sessions`, { headers: bearer(mangle(session.token)) });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'WCE_ERR_UNAUTHORIZED');
      assert.ok(!JSON.stringify(res.body).includes(session.token.split('.')[2]), 'token not echoed');
    });
  }

  test('a malformed Authorization header is 401, not anonymous', async () => {
    const res = await request(`${server.url}/${a.id}/sessions`, { headers: { authorization: 'Basic abc' } });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /Bearer/);
  });

  test('a token signed with another key is refused', async () => {
    const session = await login(server.url, a.id, a.username, a.password);
    const forged = await new SignJWT({ cenv_id: a.id, user_id: session.userId, username: a.username, role: 'owner', sid: 'x' })
      .setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h')
      .sign(new TextEncoder().encode('k'.repeat(32)));
    assert.equal((await request(`${server.url}/${a.id}/sessions`, { headers: bearer(forged) })).status, 401);
  });

  test('an expired session and token are refused', async () => {
    const session = await login(server.url, b.id, b.username, b.password);
    // The session (and, as the token's exp is a second-resolution copy of it, the row) ends in 1 s.
    const db = new DatabaseSync(`${server.dataDir}/${b.id}.db`);
    db.prepare('UPDATE _wce_sessions SET expires_at = ?').run(new Date(Date.now() + 1000).toISOString());
    db.close();
    assert.equal((await request(`${server.url}/${b.id}/sessions`, { headers: bearer(session.token) })).status, 200);
    await sleep(1500);
    const res = await request(`${server.url}/${b.id}/sessions`, { headers: bearer(session.token) });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /expired|ended/);
  });

  test('logout revokes the token and clears the cookies', async () => {
    const session = await login(server.url, a.id, a.username, a.password);
    const out = await request(`${server.url}/${a.id}/logout`, { method: 'POST', headers: bearer(session.token) });
    assert.equal(out.status, 200);
    assert.ok(out.headers.getSetCookie().some((c) => c.startsWith('wce_session=;')));
    const after = await request(`${server.url}/${a.id}/sessions`, { headers: bearer(session.token) });
    assert.equal(after.status, 401);
  });

  test('GET /sessions lists the caller\'s active sessions and marks the current one', async () => {
    const c = await createCenv(server.url);
    const one = await login(server.url, c.id, c.username, c.password);
    const two = await login(server.url, c.id, c.username, c.password);
    const res = await request(`${server.url}/${c.id}/sessions`, { headers: bearer(two.token) });
    assert.equal(res.body.sessions.length, 2);
    assert.equal(res.body.sessions.filter((s: { current: boolean }) => s.current).length, 1);
    assert.ok(res.body.sessions.every((s: Record<string, unknown>) => !('token' in s)));
    // Revoke the first by id: its token stops working, the second keeps working.
    const firstId = res.body.sessions.find((s: { current: boolean }) => !s.current).id;
    assert.equal((await request(`${server.url}/${c.id}/sessions/${firstId}`, { method: 'DELETE', headers: bearer(two.token) })).status, 200);
    assert.equal((await request(`${server.url}/${c.id}/sessions`, { headers: bearer(one.token) })).status, 401);
    assert.equal((await request(`${server.url}/${c.id}/sessions`, { headers: bearer(two.token) })).status, 200);
    const missing = await request(`${server.url}/${c.id}/sessions/${firstId}`, { method: 'DELETE', headers: bearer(two.token) });
    assert.equal(missing.status, 404);
  });

  test('DELETE /sessions revokes all of the caller\'s sessions, not other users\'', async () => {
    const c = await createCenv(server.url);
    const one = await login(server.url, c.id, c.username, c.password);
    const two = await login(server.url, c.id, c.username, c.password);
    const res = await request(`${server.url}/${c.id}/sessions`, { method: 'DELETE', headers: bearer(one.token) });
    assert.equal(res.body.revoked, 2);
    assert.equal((await request(`${server.url}/${c.id}/sessions`, { headers: bearer(two.token) })).status, 401);
    const elsewhere = await login(server.url, a.id, a.username, a.password);
    assert.equal((await request(`${server.url}/${a.id}/sessions`, { headers: bearer(elsewhere.token) })).status, 200);
  });

  test('disabling a user ends their sessions at once', async () => {
    const c = await createCenv(server.url);
    const session = await login(server.url, c.id, c.username, c.password);
    const db = new DatabaseSync(`${server.dataDir}/${c.id}.db`);
    db.prepare('UPDATE _wce_users SET enabled = 0').run();
    db.close();
    assert.equal((await request(`${server.url}/${c.id}/sessions`, { headers: bearer(session.token) })).status, 401);
  });
});

describe('CSRF for cookie-authenticated requests', () => {
  let server: TestServer;
  let cenv: NewCenv;
  before(async () => {
    server = await startServer();
    cenv = await createCenv(server.url);
  });
  after(() => server.close());

  test('a cookie works for reads without a CSRF header', async () => {
    const session = await login(server.url, cenv.id, cenv.username, cenv.password);
    assert.equal((await request(`${server.url}/${cenv.id}/sessions`, { headers: { cookie: session.cookie } })).status, 200);
  });

  test('a state change by cookie without the header is refused and changes nothing', async () => {
    const session = await login(server.url, cenv.id, cenv.username, cenv.password);
    const res = await request(`${server.url}/${cenv.id}/sessions`, { method: 'DELETE', headers: { cookie: session.cookie } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'WCE_ERR_CSRF');
    assert.equal((await request(`${server.url}/${cenv.id}/sessions`, { headers: bearer(session.token) })).status, 200);
  });

  test('a wrong CSRF token, or another session\'s, is refused', async () => {
    const mine = await login(server.url, cenv.id, cenv.username, cenv.password);
    const theirs = await login(server.url, cenv.id, cenv.username, cenv.password);
    for (const token of ['x'.repeat(43), theirs.csrf]) {
      const res = await request(`${server.url}/${cenv.id}/logout`, { method: 'POST', headers: { cookie: mine.cookie, 'x-csrf-token': token } });
      assert.equal(res.status, 403);
    }
  });

  test('with the right header the state change goes through', async () => {
    const session = await login(server.url, cenv.id, cenv.username, cenv.password);
    const res = await request(`${server.url}/${cenv.id}/logout`, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    assert.equal(res.status, 200);
    assert.equal((await request(`${server.url}/${cenv.id}/sessions`, { headers: bearer(session.token) })).status, 401);
  });

  test('bearer-token state changes need no CSRF token', async () => {
    const session = await login(server.url, cenv.id, cenv.username, cenv.password);
    assert.equal((await request(`${server.url}/${cenv.id}/logout`, { method: 'POST', headers: bearer(session.token) })).status, 200);
  });
});
