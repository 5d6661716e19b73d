/**
 * A user's sessions for owners and admins: the users list counts active sessions;
 * `GET/DELETE /{cenv}/admin/users/{id}/sessions[/{session}]` list and end them, audited;
 * only the owner may end the owner's sessions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login } from '../helpers/server.ts';
import { adminWorld, type AdminWorld } from '../security/http-helpers.ts';

let w: AdminWorld;

before(async () => { w = await adminWorld(); });
after(() => w.close());

describe('/{cenv}/admin/users/{id}/sessions', () => {
  test('the users list counts active sessions', async () => {
    await login(w.server.url, w.cenv.id, 'ursula', 'long enough pw');
    const users = (await w.call(w.admin, 'GET', '/admin/users')).body.users as Array<{ username: string; active_sessions: number }>;
    assert.equal(users.find((u) => u.username === 'ursula')!.active_sessions, 2);
  });

  test('lists, ends one, ends all; the user\'s token stops working', async () => {
    const list = await w.call(w.admin, 'GET', `/admin/users/${w.user.userId}/sessions`);
    assert.equal(list.status, 200);
    assert.equal(list.body.sessions.length, 2);
    assert.deepEqual(Object.keys(list.body.sessions[0]).sort(), ['created_at', 'current', 'expires_at', 'id', 'ip', 'last_used', 'user_agent']);
    const one = await w.call(w.admin, 'DELETE', `/admin/users/${w.user.userId}/sessions/${list.body.sessions[0].id}`);
    assert.deepEqual(one.body, { revoked: 1 });
    assert.equal((await w.call(w.admin, 'DELETE', `/admin/users/${w.user.userId}/sessions/${list.body.sessions[0].id}`)).status, 404);
    const all = await w.call(w.admin, 'DELETE', `/admin/users/${w.user.userId}/sessions`);
    assert.deepEqual(all.body, { revoked: 1 });
    assert.equal((await w.call(w.user, 'GET', '/sessions')).status, 401, 'ended at once');
    const audit = await w.server.deps.pools.use(w.cenv.id, (db) => db.prepare("SELECT username, row_count FROM _wce_audit_log WHERE action = 'sessions_revoked' ORDER BY id").all()) as Array<{ username: string; row_count: number }>;
    assert.deepEqual(audit.map((a) => [a.username, a.row_count]), [['adam', 1], ['adam', 1]]);
  });

  test('an admin cannot end the owner\'s sessions; the owner can end an admin\'s', async () => {
    const refused = await w.call(w.admin, 'DELETE', `/admin/users/${w.owner.userId}/sessions`);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /only the owner/);
    assert.equal((await w.call(w.owner, 'GET', '/admin/users/nobody/sessions')).status, 404);
    assert.equal((await w.call(w.user, 'GET', `/admin/users/${w.user.userId}/sessions`)).status, 401, 'ursula was logged out above');
    const ended = await w.call(w.owner, 'DELETE', `/admin/users/${w.admin.userId}/sessions`);
    assert.deepEqual(ended.body, { revoked: 1 });
  });
});
