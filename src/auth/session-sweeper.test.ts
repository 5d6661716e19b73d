import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from '../cenv/registry.ts';
import { createCenv } from '../cenv/create.ts';
import { ConnectionPools } from '../cenv/pool.ts';
import { createSession, revokeSession } from './sessions.ts';
import { startSessionSweeper } from './session-sweeper.ts';
import { insertUser } from './users.ts';

const RULES = { timeoutMs: 24 * 3600_000, maxPerUser: 20 };
import { tempDir } from '../../test/helpers/server.ts';

test('the sweeper deletes expired and revoked sessions of open cenvs and keeps live ones', async () => {
  const dir = tempDir();
  const registry = new Registry(`${dir}/registry.db`);
  const { cenv, seeded: owner } = await createCenv(registry, dir, null, (db) => insertUser(db, 'ada', 'h', 'owner'));
  const pools = new ConnectionPools({ dataDir: dir, perCenv: 2, maxOpen: 10, idleMs: 60_000 });
  const client = { ip: '127.0.0.1', userAgent: null };
  const ids = await pools.use(cenv.id, (db) => {
    const expired = createSession(db, owner.id, client, RULES, Date.now() - 48 * 3600_000);
    const revoked = createSession(db, owner.id, client, RULES);
    revokeSession(db, owner.id, revoked.id);
    const live = createSession(db, owner.id, client, RULES);
    return { expired: expired.id, revoked: revoked.id, live: live.id };
  });
  const warnings: unknown[] = [];
  const stop = startSessionSweeper(pools, 1000, { warn: (obj) => warnings.push(obj) });
  try {
    await sleep(1300);
    const left = await pools.use(cenv.id, (db) => (db.prepare('SELECT id FROM _wce_sessions').all() as Array<{ id: string }>).map((r) => r.id));
    assert.deepEqual(left, [ids.live]);
    assert.deepEqual(warnings, []);
  } finally {
    stop();
    pools.close();
    registry.close();
    rmSync(dir, { recursive: true });
  }
});
