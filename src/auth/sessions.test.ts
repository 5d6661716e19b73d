/** Which sessions are still live, all at once (the event hub's check of its streams). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Registry } from '../cenv/registry.ts';
import { createCenv } from '../cenv/create.ts';
import { ConnectionPools } from '../cenv/pool.ts';
import { createSession, liveSessionIds, revokeSession } from './sessions.ts';
import { insertUser } from './users.ts';
import { tempDir } from '../../test/helpers/server.ts';

const RULES = { timeoutMs: 3600_000, maxPerUser: 20 };
const client = { ip: '127.0.0.1', userAgent: null };

test('live sessions: revoked, expired, a disabled user, or a session named with another user are not', async () => {
  const dir = tempDir();
  const registry = new Registry(`${dir}/registry.db`);
  const { cenv, seeded: ada } = await createCenv(registry, dir, null, (db) => insertUser(db, 'ada', 'h', 'owner'));
  const pools = new ConnectionPools({ dataDir: dir, perCenv: 1, maxOpen: 10, idleMs: 60_000 });
  try {
    await pools.use(cenv.id, (db) => {
      const bob = insertUser(db, 'bob', 'h', 'user');
      const live = createSession(db, ada.id, client, RULES);
      const revoked = createSession(db, ada.id, client, RULES);
      revokeSession(db, ada.id, revoked.id);
      const expired = createSession(db, ada.id, client, RULES, Date.now() - 2 * 3600_000);
      const disabled = createSession(db, bob.id, client, RULES);
      db.prepare('UPDATE _wce_users SET enabled = 0 WHERE id = ?').run(bob.id);
      const asked = [
        { sessionId: live.id, userId: ada.id }, { sessionId: revoked.id, userId: ada.id }, { sessionId: expired.id, userId: ada.id },
        { sessionId: disabled.id, userId: bob.id }, { sessionId: 'no-such-session', userId: ada.id },
      ];
      assert.deepEqual([...liveSessionIds(db, asked)], [live.id]);
      assert.deepEqual([...liveSessionIds(db, [{ sessionId: live.id, userId: bob.id }])], [], 'a session is live only for its own user');
      assert.equal(liveSessionIds(db, []).size, 0);
    });
  } finally {
    pools.close();
    registry.close();
    rmSync(dir, { recursive: true });
  }
});
