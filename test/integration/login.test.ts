import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { decodeJwt } from 'jose';
import { startServer, request, createCenv, login, auditRows, type TestServer, type NewCenv } from '../helpers/server.ts';

describe('POST /{cenv}/login', () => {
  let server: TestServer;
  let cenv: NewCenv;
  before(async () => {
    server = await startServer();
    cenv = await createCenv(server.url, { username: 'ada', password: 'correct horse battery' });
  });
  after(() => server.close());

  test('returns a token with the documented claims, the user, and session cookies', async () => {
    const res = await request(`${server.url}/${cenv.id}/login`, {
      body: { username: 'ada', password: 'correct horse battery' }, headers: { 'user-agent': 'test-agent/1' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['csrf_token', 'expires_at', 'token', 'user']);
    assert.equal(res.body.user.username, 'ada');
    assert.equal(res.body.user.role, 'owner');
    const claims = decodeJwt(res.body.token);
    assert.equal(claims.cenv_id, cenv.id);
    assert.equal(claims.user_id, res.body.user.id);
    assert.equal(claims.username, 'ada');
    assert.equal(claims.role, 'owner');
    assert.equal(typeof claims.sid, 'string');
    assert.ok(claims.exp! - claims.iat! === 24 * 3600, 'session_timeout_hours defaults to 24');
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('wce_session='))!;
    assert.match(session, /HttpOnly/i);
    assert.match(session, /SameSite=Strict/i);
    assert.match(session, new RegExp(`Path=/${cenv.id}`));
    assert.equal(cookies.filter((c) => c.startsWith('wce_session=')).length, 1, 'an unnamed cenv has one cookie path');
    assert.doesNotMatch(session, /Secure/, 'plain HTTP without WCE_COOKIE_SECURE');
    assert.ok(cookies.some((c) => c.startsWith('wce_csrf=') && !/HttpOnly/i.test(c)));
    const db = new DatabaseSync(`${server.dataDir}/${cenv.id}.db`, { readOnly: true });
    const user = db.prepare('SELECT last_login FROM _wce_users WHERE username = ?').get('ada') as { last_login: string };
    db.close();
    assert.ok(user.last_login && Date.now() - Date.parse(user.last_login) < 60_000, 'last_login updated');
  });

  test('wrong password and unknown user get the same 401 and are audited', async () => {
    const wrong = await request(`${server.url}/${cenv.id}/login`, { body: { username: 'ada', password: 'Tr0ub4dor&3x' }, headers: { 'user-agent': 'probe/1' } });
    const unknown = await request(`${server.url}/${cenv.id}/login`, { body: { username: 'nobody', password: 'Tr0ub4dor&3x' } });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(wrong.body.error.code, 'WCE_ERR_UNAUTHORIZED');
    assert.equal(wrong.headers.getSetCookie().length, 0);
    const failed = auditRows(server, cenv.id).filter((row) => row.action === 'login_failed');
    const ada = failed.find((r) => r.username === 'ada')!;
    assert.equal(ada.ip, '127.0.0.1');
    assert.equal(ada.user_agent, 'probe/1');
    assert.ok(ada.at && ada.user_id);
    assert.ok(failed.some((r) => r.username === 'nobody' && r.user_id === null));
    for (const row of failed) assert.doesNotMatch(JSON.stringify(row), /Tr0ub4dor/, 'passwords never stored');
  });

  test('a disabled user cannot log in', async () => {
    const db = new DatabaseSync(`${server.dataDir}/${cenv.id}.db`);
    db.prepare("INSERT INTO _wce_users (id, username, username_key, password_hash, role, enabled, created_at, updated_at) SELECT 'u2', 'eve', 'eve', password_hash, 'user', 0, 'x', 'x' FROM _wce_users WHERE username = 'ada'").run();
    db.close();
    const res = await request(`${server.url}/${cenv.id}/login`, { body: { username: 'eve', password: 'correct horse battery' } });
    assert.equal(res.status, 401);
    assert.ok(auditRows(server, cenv.id).filter((row) => row.action === 'login_failed').some((r) => r.username === 'eve' && String(r.detail).includes('disabled')));
  });

  test('passwords longer than bcrypt\'s 72 bytes are not truncated', async () => {
    const long = 'p'.repeat(80);
    const other = await createCenv(server.url, { username: 'lon', password: long });
    const sameFirst72 = 'p'.repeat(72) + 'q'.repeat(8);
    const res = await request(`${server.url}/${other.id}/login`, { body: { username: 'lon', password: sameFirst72 } });
    assert.equal(res.status, 401);
    assert.equal((await request(`${server.url}/${other.id}/login`, { body: { username: 'lon', password: long } })).status, 200);
  });

  const bad: Array<[string, unknown]> = [
    ['no body fields', {}],
    ['password as number', { username: 'ada', password: 12345678 }],
    ['extra field', { username: 'ada', password: 'x', remember: true }],
    ['huge password', { username: 'ada', password: 'x'.repeat(5000) }],
  ];
  for (const [label, body] of bad) {
    test(`400 for ${label}`, async () => {
      const res = await request(`${server.url}/${cenv.id}/login`, { body });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'WCE_ERR_VALIDATION');
    });
  }

  test('a stale cookie does not block logging in again', async () => {
    const first = await login(server.url, cenv.id, 'ada', 'correct horse battery');
    await request(`${server.url}/${cenv.id}/logout`, { method: 'POST', headers: { authorization: `Bearer ${first.token}` } });
    const res = await request(`${server.url}/${cenv.id}/login`, { body: { username: 'ada', password: 'correct horse battery' }, headers: { cookie: first.cookie } });
    assert.equal(res.status, 200);
  });
});

describe('cookies of a named cenv', () => {
  test('are set for both its id and its name, so either address is signed in; logout clears both', async () => {
    const server = await startServer();
    try {
      const cenv = await createCenv(server.url, { name: 'two-paths' });
      const res = await request(`${server.url}/two-paths/login`, { body: { username: cenv.username, password: cenv.password } });
      const sessions = res.headers.getSetCookie().filter((c) => c.startsWith('wce_session='));
      assert.deepEqual(sessions.map((c) => /Path=([^;]+)/.exec(c)![1]).sort(), [`/${cenv.id}`, '/two-paths'].sort());
      const out = await request(`${server.url}/${cenv.id}/logout`, { method: 'POST', headers: { authorization: `Bearer ${res.body.token}` } });
      const cleared = out.headers.getSetCookie().filter((c) => c.startsWith('wce_session=;'));
      assert.equal(cleared.length, 2);
    } finally {
      await server.close();
    }
  });
});

describe('WCE_COOKIE_SECURE=true', () => {
  test('marks the session cookie Secure', async () => {
    const server = await startServer({ env: { WCE_COOKIE_SECURE: 'true' } });
    try {
      const cenv = await createCenv(server.url);
      const res = await request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: cenv.password } });
      assert.ok(res.headers.getSetCookie().every((c) => /;\s*Secure/i.test(c)));
    } finally {
      await server.close();
    }
  });
});

describe('failed-login throttling', () => {
  test('after WCE_LOGIN_MAX_FAILURES failures an address gets 429 with Retry-After, even with the right password', async () => {
    const server = await startServer({ env: { WCE_LOGIN_MAX_FAILURES: '3', WCE_LOGIN_WINDOW_MS: '60000' } });
    try {
      const cenv = await createCenv(server.url);
      const other = await createCenv(server.url);
      const attempt = (id: string, password: string) => request(`${server.url}/${id}/login`, { body: { username: cenv.username, password } });
      for (let i = 0; i < 3; i++) assert.equal((await attempt(cenv.id, 'not the password')).status, 401);
      const blocked = await attempt(cenv.id, cenv.password);
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.error.code, 'WCE_ERR_RATE_LIMITED');
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
      // Another cenv is counted on its own.
      assert.equal((await request(`${server.url}/${other.id}/login`, { body: { username: other.username, password: other.password } })).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('behind a trusted proxy', () => {
  test('the audit log records the forwarded client address only when the proxy is trusted', async () => {
    for (const [trust, expected] of [['127.0.0.1', '203.0.113.7'], ['false', '127.0.0.1']] as const) {
      const server = await startServer({ env: { WCE_TRUST_PROXY: trust } });
      try {
        const cenv = await createCenv(server.url);
        await request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: 'not it at all' }, headers: { 'x-forwarded-for': '203.0.113.7' } });
        const [row] = auditRows(server, cenv.id).filter((row) => row.action === 'login_failed');
        assert.equal(row.ip, expected);
      } finally {
        await server.close();
      }
    }
  });
});
