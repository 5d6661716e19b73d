import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from 'node:sqlite';
import { ConnectionPools } from './pool.ts';
import { openDatabase } from './open.ts';
import { migrate } from './migrate.ts';
import { cenvFile } from './paths.ts';
import { Registry } from './registry.ts';
import { tempDir } from '../../test/helpers/server.ts';

function openFiles(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Makes `count` cenv files by copying one migrated template, and registers them. */
function makeCenvs(dataDir: string, count: number): string[] {
  const template = `${dataDir}/template.sqlite`;
  const db = openDatabase(template, { create: true });
  migrate(db);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) copyFileSync(template, cenvFile(dataDir, id));
  rmSync(template);
  return ids;
}

describe('connection pools', () => {
  let dataDir: string;
  before(() => { dataDir = tempDir(); });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('10,000 cenvs on disk are all reachable with a bounded number of open files', async () => {
    const ids = makeCenvs(dataDir, 10_000);
    const registry = new Registry(`${dataDir}/registry.db`);
    registry.insertActive(ids.map((id) => ({ id, name: null })));
    const pools = new ConnectionPools({ dataDir, perCenv: 5, maxOpen: 50, idleMs: 60_000 });
    const baseline = openFiles();
    let peak = 0;
    try {
      for (const [i, id] of ids.entries()) {
        const record = await registry.resolve({ kind: 'id', id });
        assert.ok(record);
        const value = await pools.use(id, (db) => (db.prepare("SELECT value FROM _wce_config WHERE key = 'session_timeout_hours'").get() as { value: string }).value);
        assert.equal(value, '24');
        if (i % 250 === 0) peak = Math.max(peak, openFiles() - baseline);
        assert.ok(pools.stats().openCenvs <= 50);
      }
      peak = Math.max(peak, openFiles() - baseline);
      // Each open cenv holds its file plus WAL and shared-memory files: at most 3 per cenv.
      assert.ok(peak <= 50 * 3 + 10, `peak of ${peak} extra open files`);
      assert.equal(pools.stats().openCenvs, 50);
    } finally {
      pools.close();
      registry.close();
    }
    assert.ok(openFiles() <= baseline, 'closing the pools closes every file');
  });

  test('concurrent leases never share a connection and never exceed perCenv', async () => {
    const [id] = makeCenvs(dataDir, 1);
    const pools = new ConnectionPools({ dataDir, perCenv: 3, maxOpen: 10, idleMs: 60_000 });
    const inUse = new Set<DatabaseSync>();
    let maxInUse = 0;
    try {
      await Promise.all(Array.from({ length: 20 }, (_, n) => pools.use(id, async (db) => {
        assert.ok(!inUse.has(db), 'a connection leased twice');
        inUse.add(db);
        maxInUse = Math.max(maxInUse, inUse.size);
        await sleep(5);
        db.prepare("INSERT INTO _wce_config (key, value, updated_at) VALUES (?, 'v', 'now')").run(`k${n}`);
        inUse.delete(db);
      })));
      assert.equal(maxInUse, 3);
      assert.equal(pools.stats().connections, 3);
      const count = await pools.use(id, (db) => (db.prepare("SELECT count(*) AS n FROM _wce_config WHERE key LIKE 'k%'").get() as { n: number }).n);
      assert.equal(count, 20);
    } finally {
      pools.close();
    }
  });

  test('idle pools are closed after the idle time', async () => {
    const [id] = makeCenvs(dataDir, 1);
    const pools = new ConnectionPools({ dataDir, perCenv: 2, maxOpen: 10, idleMs: 50 });
    try {
      await pools.use(id, (db) => db.prepare('SELECT 1').get());
      assert.equal(pools.stats().openCenvs, 1);
      await sleep(200);
      assert.equal(pools.stats().openCenvs, 0);
      // And it reopens transparently.
      await pools.use(id, (db) => db.prepare('SELECT 1').get());
      assert.equal(pools.stats().openCenvs, 1);
    } finally {
      pools.close();
    }
  });

  test('a throwing lease still returns its connection', async () => {
    const [id] = makeCenvs(dataDir, 1);
    const pools = new ConnectionPools({ dataDir, perCenv: 1, maxOpen: 10, idleMs: 60_000 });
    try {
      await assert.rejects(pools.use(id, () => { throw new Error('boom'); }), /boom/);
      assert.equal(await pools.use(id, () => 'still usable'), 'still usable');
    } finally {
      pools.close();
    }
  });

  test("a cenv's own limit: leases past it wait, and give up after waitMs with a 503 naming connections_per_cenv", async () => {
    const [id] = makeCenvs(dataDir, 1);
    const pools = new ConnectionPools({ dataDir, perCenv: 5, maxOpen: 10, idleMs: 60_000, limitFor: () => 3, waitMs: 100 });
    try {
      await Promise.all(Array.from({ length: 3 }, () => pools.use(id, () => sleep(20))));
      assert.equal(pools.stats().connections, 3);
      pools.setLimit(id, 1);
      assert.equal(pools.stats().connections, 1, 'idle connections above the lowered limit were closed');
      let release!: () => void;
      const held = pools.use(id, () => new Promise<void>((resolve) => { release = resolve; }));
      await assert.rejects(pools.use(id, () => 'late'), (e: Error & { statusCode?: number }) => e.statusCode === 503 && /connections_per_cenv/.test(e.message));
      const waiter = pools.use(id, () => 'served');
      release();
      await held;
      assert.equal(await waiter, 'served');
    } finally {
      pools.close();
    }
  });
});
