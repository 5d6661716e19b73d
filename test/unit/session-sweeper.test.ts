import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from '../../src/cenv/registry.ts';
import { createCenv } from '../../src/cenv/create.ts';
import { ConnectionPools } from '../../src/cenv/pool.ts';
import { createSession, revokeSession } from '../../src/auth/sessions.ts';
import { startSessionSweeper } from '../../src/auth/session-sweeper.ts';
import { tempDir } from '../helpers/server.ts';

test('the sweeper deletes expired and revoked sessions of open cenvs and keeps live ones', async () => {
  const dir = tempDir();
  const registry = new Registry(`${dir}/registry.db`);
  const { cenv, owner } = createCenv(registry, dir, { name: null, ownerUsername: 'ada', ownerPasswordHash: 'h' });
  const pools = new ConnectionPools({ dataDir: dir, perCenv: 2, maxOpen: 10, idleMs: 60_000 });
  const client = { ip: '127.0.0.1', userAgent: null };
  const ids = await pools.use(cenv.id, (db) => {
    const expired = createSession(db, owner.id, client, Date.now() - 48 * 3600_000);
    const revoked = createSession(db, owner.id, client);
    revokeSession(db, owner.id, revoked.id);
    const live = createSession(db, owner.id, client);
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
