/**
 * The background sweeps visit open cenvs: each soon after it opens, then once per interval
 * while it stays open, and again soon after it reopens — so a cenv open only for short
 * stretches is still swept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from './registry.ts';
import { createCenv } from './create.ts';
import { ConnectionPools } from './pool.ts';
import { startCenvSweeper } from './sweeper.ts';
import { insertUser } from '../auth/users.ts';
import { tempDir } from '../../test/helpers/server.ts';

/** Polls `condition` until it holds (a loaded machine delays timers), or fails after `ms`. */
async function eventually(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(what);
    await sleep(20);
  }
}

test('a cenv is swept soon after it opens, once per interval while open, and again after it reopens', async () => {
  const dir = tempDir();
  const registry = new Registry(`${dir}/registry.db`);
  const { cenv } = await createCenv(registry, dir, null, (db) => insertUser(db, 'ada', 'h', 'owner'));
  const pools = new ConnectionPools({ dataDir: dir, perCenv: 1, maxOpen: 10, idleMs: 60_000 });
  const visits: number[] = [];
  const start = Date.now();
  // An interval of 800 ms: the open cenvs are looked at every 200 ms.
  const stop = startCenvSweeper(pools, 800, { warn: () => {} }, 'test sweep', async (id) => {
    assert.equal(id, cenv.id);
    visits.push(Date.now() - start);
  });
  try {
    await sleep(300);
    assert.deepEqual(visits, [], 'nothing is open, nothing is swept');
    const opened = Date.now() - start;
    await pools.use(cenv.id, () => null);
    await eventually(() => visits.length === 1, 2000, 'swept soon after opening');
    assert.ok(visits[0] - opened < 800, `swept ${visits[0] - opened} ms after opening, before an interval`);
    await eventually(() => visits.length === 2, 3000, 'swept again while open');
    assert.ok(visits[1] - visits[0] >= 800, `not again within the interval (${visits[1] - visits[0]} ms apart)`);
    (await pools.drain(cenv.id))(); // closes its connections: the cenv is no longer open
    await sleep(500); // a few looks at the open cenvs: the sweeper sees it closed
    const reopened = Date.now() - start;
    await pools.use(cenv.id, () => null);
    await eventually(() => visits.length === 3, 2000, 'swept soon after reopening');
    assert.ok(visits[2] - reopened < 800, `reopened: swept ${visits[2] - reopened} ms later, not an interval later`);
  } finally {
    stop();
    pools.close();
    registry.close();
    rmSync(dir, { recursive: true });
  }
});
