/**
 * `GET/PUT /{cenv}/me/prefs`: a user's IDE preferences, validated against the fixed list,
 * kept per user on the server, defaults filled in; by cookie the CSRF header is required.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;
let user: LoggedIn;

before(async () => {
  server = await startServer();
  cenv = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  await request(`${server.url}/${cenv.id}/admin/users`, { body: { username: 'ursula', password: 'long enough pw', role: 'user' }, headers: bearer(owner.token) });
  user = await login(server.url, cenv.id, 'ursula', 'long enough pw');
});
after(() => server.close());

const prefs = (who: LoggedIn | null, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
  request(`${server.url}/${cenv.id}/me/prefs`, { method, body, headers: { ...(who ? bearer(who.token) : {}), ...headers } });

describe('/{cenv}/me/prefs', () => {
  test('defaults first, then what the user saved, per user', async () => {
    assert.deepEqual((await prefs(owner)).body, { prefs: { vim_mode: false, theme: 'system' } });
    const saved = await prefs(owner, 'PUT', { vim_mode: true, theme: 'dark' });
    assert.equal(saved.status, 200);
    assert.deepEqual(saved.body, { prefs: { vim_mode: true, theme: 'dark' } });
    assert.deepEqual((await prefs(owner, 'PUT', { theme: 'light' })).body, { prefs: { vim_mode: true, theme: 'light' } }, 'a partial change keeps the rest');
    assert.deepEqual((await prefs(user)).body, { prefs: { vim_mode: false, theme: 'system' } }, 'another user is unaffected');
  });

  test('unknown keys and wrong values are 400 with a message', async () => {
    for (const [body, pattern] of [
      [{ vim: true }, /unknown preference "vim"; known: vim_mode, theme/],
      [{ vim_mode: 'yes' }, /vim_mode must be true or false/],
      [{ theme: 'pink' }, /theme must be one of system, light, dark/],
      [{}, /./],
    ] as const) {
      const reply = await prefs(user, 'PUT', body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.equal(reply.body.error.code, 'WCE_ERR_VALIDATION');
      assert.match(reply.body.error.message, pattern);
    }
    assert.equal((await prefs(user, 'PUT', [true])).status, 400);
  });

  test('needs a session; by cookie a change needs the CSRF header', async () => {
    assert.equal((await prefs(null)).status, 401);
    assert.equal((await prefs(null, 'PUT', { vim_mode: true })).status, 401);
    const byCookie = { cookie: user.cookie };
    assert.equal((await request(`${server.url}/${cenv.id}/me/prefs`, { method: 'PUT', body: { vim_mode: true }, headers: byCookie })).status, 403);
    const ok = await request(`${server.url}/${cenv.id}/me/prefs`, { method: 'PUT', body: { vim_mode: true }, headers: { ...byCookie, 'x-csrf-token': user.csrf } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.prefs.vim_mode, true);
  });
});
