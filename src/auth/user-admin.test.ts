import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture } from '../../test/security/fixture.ts';
import { createUser, listUsers, updateUser } from './user-admin.ts';
import { createSession, checkSession } from './sessions.ts';
import { readAccessVersion } from '../access/version.ts';

const auditCount = (db: import('node:sqlite').DatabaseSync) => (db.prepare('SELECT count(*) AS n FROM _wce_audit_log').get() as { n: number }).n;

test('user admin: with two owners one may step down; the last one may not', () => {
  const f = openFixture();
  try {
    const second = createUser(f.admin, f.owner, { username: 'otto', passwordHash: 'x', role: 'owner' });
    assert.equal(updateUser(f.admin, f.owner, second.id, { role: 'admin' }).role, 'admin');
    assert.throws(() => updateUser(f.admin, f.owner, f.owner.userId!, { role: 'user' }), { statusCode: 409 });
    assert.equal(listUsers(f.admin).filter((u) => u.role === 'owner').length, 1);
  } finally {
    f.close();
  }
});

test('user admin: a new password revokes sessions; a refused change leaves no audit row and no version bump', () => {
  const f = openFixture();
  try {
    const session = createSession(f.admin, f.alice.userId!, { ip: null, userAgent: null });
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
