/**
 * `POST /{cenv}/me/password`: a signed-in user changes their own password with the current
 * one. The new one is in force at once, their other sessions end while this one stays, the
 * change is audited, wrong current passwords count against the login throttle, and nothing
 * is written for a refused request.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, auditRows, type TestServer, type NewCenv } from '../helpers/server.ts';

const OLD = 'correct horse battery';
const NEW = 'staple battery horse';

const auditActions = (server: TestServer, cenv: NewCenv) =>
  auditRows(server, cenv.id).map((row) => String(row.action)).filter((action) => action.startsWith('password'));

describe('changing your own password', () => {
  let server: TestServer;
  let cenv: NewCenv;
  before(async () => {
    server = await startServer();
    cenv = await createCenv(server.url, { username: 'ada', password: OLD });
  });
  after(() => server.close());

  const change = (token: string | null, body: unknown) =>
    request(`${server.url}/${cenv.id}/me/password`, { body, headers: token ? bearer(token) : {} });

  const refusals: Array<[string, unknown, number, RegExp]> = [
    ['no body fields', {}, 400, /current_password/],
    ['a missing new password', { current_password: OLD }, 400, /new_password/],
    ['a new password too short', { current_password: OLD, new_password: 'short' }, 400, /new_password: password must be at least/],
    ['the same password again', { current_password: OLD, new_password: OLD }, 400, /same as the current one/],
    ['a wrong current password', { current_password: 'not it at all', new_password: NEW }, 400, /current_password is not your current password/],
    ['an unknown field', { current_password: OLD, new_password: NEW, user_id: 'someone' }, 400, /user_id|additional/],
    ['a number for a password', { current_password: OLD, new_password: 12345678901 }, 400, /new_password/],
  ];
  for (const [what, body, status, message] of refusals) {
    test(`${what}: ${status}, and the password stays`, async () => {
      const { token } = await login(server.url, cenv.id, 'ada', OLD);
      const res = await change(token, body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'WCE_ERR_VALIDATION');
      assert.match(res.body.error.message, message);
      assert.equal((await request(`${server.url}/${cenv.id}/login`, { body: { username: 'ada', password: OLD } })).status, 200, 'the old password still works');
    });
  }

  test('anonymous callers have no password to change', async () => {
    const res = await change(null, { current_password: OLD, new_password: NEW });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'WCE_ERR_UNAUTHORIZED');
  });

  test('the new password works at once; the other sessions end, this one stays; audited without the password', async () => {
    const elsewhere = await login(server.url, cenv.id, 'ada', OLD);
    const here = await login(server.url, cenv.id, 'ada', OLD);
    const res = await change(here.token, { current_password: OLD, new_password: NEW });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.changed, true);
    assert.ok(res.body.other_sessions_ended >= 1, 'the session elsewhere (and the ones the refusals opened) ended');

    assert.equal((await request(`${server.url}/${cenv.id}/sessions`, { headers: bearer(elsewhere.token) })).status, 401, 'the other session is over');
    const mine = await request(`${server.url}/${cenv.id}/sessions`, { headers: bearer(here.token) });
    assert.equal(mine.status, 200, 'this session goes on');
    assert.equal(mine.body.sessions.length, 1);

    assert.equal((await request(`${server.url}/${cenv.id}/login`, { body: { username: 'ada', password: OLD } })).status, 401, 'the old password is refused');
    assert.equal((await request(`${server.url}/${cenv.id}/login`, { body: { username: 'ada', password: NEW } })).status, 200);

    assert.deepEqual(auditActions(server, cenv).slice(-1), ['password_changed']);
    assert.ok(auditActions(server, cenv).includes('password_change_failed'), 'the wrong current password was audited');
    const logs = server.logs.join('');
    assert.ok(!logs.includes(NEW) && !logs.includes(OLD), 'no password in the log');
  });
});

test('wrong current passwords count against the login throttle (a stolen session cannot guess at full speed)', async () => {
  const server = await startServer({ env: { WCE_LOGIN_MAX_FAILURES: '2', WCE_LOGIN_WINDOW_MS: '60000' } });
  try {
    const cenv = await createCenv(server.url, { username: 'ada', password: OLD });
    const { token } = await login(server.url, cenv.id, 'ada', OLD);
    const guess = (password: string) => request(`${server.url}/${cenv.id}/me/password`, { body: { current_password: password, new_password: NEW }, headers: bearer(token) });
    assert.equal((await guess('guess number one')).status, 400);
    assert.equal((await guess('guess number two')).status, 400);
    const third = await guess(OLD);
    assert.equal(third.status, 429, 'even the right password waits once the allowance is spent');
    assert.equal(third.body.error.code, 'WCE_ERR_RATE_LIMITED');
    assert.match(third.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal((await request(`${server.url}/${cenv.id}/login`, { body: { username: 'ada', password: OLD } })).status, 429, 'one allowance with login');
  } finally {
    await server.close();
  }
});
