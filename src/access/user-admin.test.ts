/** The rules of user administration, on a real cenv file: one owner, transfer, revocation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture } from '../../test/security/fixture.ts';
import { createUser, listUsers, transferOwnership, updateUser } from './user-admin.ts';
import { createSession, checkSession } from '../auth/sessions.ts';
import { readAccessVersion } from './version.ts';

const auditCount = (db: import('node:sqlite').DatabaseSync) => (db.prepare('SELECT count(*) AS n FROM _wce_audit_log').get() as { n: number }).n;
const RULES = { timeoutMs: 24 * 3600_000, maxPerUser: 20 };

test('user admin: nobody creates or promotes a second owner; the owner cannot be demoted or disabled', () => {
  const f = openFixture();
  try {
    assert.throws(() => createUser(f.admin, f.owner, { username: 'otto', passwordHash: 'x', role: 'owner' }), { statusCode: 400 });
    assert.throws(() => updateUser(f.admin, f.owner, f.alice.userId!, { role: 'owner' }), { statusCode: 400, message: /transfer-ownership/ });
    assert.throws(() => updateUser(f.admin, f.owner, f.owner.userId!, { role: 'user' }), { statusCode: 409 });
    assert.throws(() => updateUser(f.admin, f.owner, f.owner.userId!, { enabled: false }), { statusCode: 409 });
    assert.equal(listUsers(f.admin).filter((u) => u.role === 'owner').length, 1);
  } finally {
    f.close();
  }
});

test('user admin: transfer makes the target owner and the old owner admin, audited, with both logged out', () => {
  const f = openFixture();
  try {
    const mine = createSession(f.admin, f.owner.userId!, { ip: null, userAgent: null }, RULES);
    assert.throws(() => transferOwnership(f.admin, f.adminUser, f.alice.userId!), { statusCode: 403 });
    assert.throws(() => transferOwnership(f.admin, f.owner, 'no-such-user'), { statusCode: 404 });
    assert.throws(() => transferOwnership(f.admin, f.owner, f.owner.userId!), { statusCode: 400 });
    const before = auditCount(f.admin);
    const owner = transferOwnership(f.admin, f.owner, f.alice.userId!);
    assert.equal(owner.role, 'owner');
    const roles = Object.fromEntries(listUsers(f.admin).map((u) => [u.id, u.role]));
    assert.equal(roles[f.owner.userId!], 'admin');
    assert.equal(roles[f.alice.userId!], 'owner');
    assert.equal(listUsers(f.admin).filter((u) => u.role === 'owner').length, 1);
    assert.equal(checkSession(f.admin, mine.id, f.owner.userId!), null, 'the old owner was logged out');
    assert.equal(auditCount(f.admin), before + 1);
    const row = f.admin.prepare("SELECT detail FROM _wce_audit_log WHERE action = 'ownership_transferred'").get() as { detail: string };
    assert.equal(JSON.parse(row.detail).to, f.alice.userId);
  } finally {
    f.close();
  }
});

test('user admin: a new password revokes sessions; a refused change leaves no audit row and no version bump', () => {
  const f = openFixture();
  try {
    const session = createSession(f.admin, f.alice.userId!, { ip: null, userAgent: null }, RULES);
    assert.ok(checkSession(f.admin, session.id, f.alice.userId!));
    updateUser(f.admin, f.adminUser, f.alice.userId!, { passwordHash: 'new-hash' });
    assert.equal(checkSession(f.admin, session.id, f.alice.userId!), null);
    const before = { audit: auditCount(f.admin), version: readAccessVersion(f.admin) };
    assert.throws(() => updateUser(f.admin, f.adminUser, f.owner.userId!, { enabled: false }), { statusCode: 403 });
    assert.throws(() => updateUser(f.admin, f.adminUser, 'no-such-id', { enabled: false }), { statusCode: 404 });
    assert.deepEqual({ audit: auditCount(f.admin), version: readAccessVersion(f.admin) }, before);
  } finally {
    f.close();
  }
});

test('user admin: usernames are unique after NFKC and case folding', () => {
  const f = openFixture();
  try {
    createUser(f.admin, f.owner, { username: 'Zed', passwordHash: 'x', role: 'user' });
    for (const lookalike of ['zed', 'ZED', 'ｚｅｄ', 'Ｚed']) {
      assert.throws(() => createUser(f.admin, f.owner, { username: lookalike, passwordHash: 'x', role: 'user' }), { statusCode: 409 }, lookalike);
    }
  } finally {
    f.close();
  }
});

test('sessions: past max_sessions_per_user a new session revokes the oldest', () => {
  const f = openFixture();
  try {
    const rules = { timeoutMs: 3600_000, maxPerUser: 2 };
    const first = createSession(f.admin, f.alice.userId!, { ip: null, userAgent: null }, rules, Date.now() - 2000);
    const second = createSession(f.admin, f.alice.userId!, { ip: null, userAgent: null }, rules, Date.now() - 1000);
    const third = createSession(f.admin, f.alice.userId!, { ip: null, userAgent: null }, rules);
    assert.equal(third.revokedOldest, 1);
    assert.equal(checkSession(f.admin, first.id, f.alice.userId!), null);
    assert.ok(checkSession(f.admin, second.id, f.alice.userId!));
    assert.ok(checkSession(f.admin, third.id, f.alice.userId!));
  } finally {
    f.close();
  }
});
