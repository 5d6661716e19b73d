/**
 * The sandbox pool with real child processes and real cenv files: replies and their effects,
 * and the failure modes that must cost only the request that caused them — a runaway query
 * past its deadline, a query that blows the memory cap, a child that dies, a payload that
 * cannot be sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../cenv/open.ts';
import { migrate } from '../cenv/migrate.ts';
import { cenvFile } from '../cenv/paths.ts';
import { readConfigRows } from '../cenv/settings-store.ts';
import { resolveSettings, serverSettings, type Settings } from '../cenv/settings.ts';
import type { Principal } from '../auth/principal.ts';
import { SandboxPool } from './pool.ts';
import type { SqlPayload } from './protocol.ts';
import { OWNER } from '../../test/helpers/tenant.ts';

const RUNAWAYS = [
  ['infinite recursive CTE', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c'],
  ['3-way cross join', 'SELECT max(a.n * b.n + c.n) FROM big a, big b, big c'],
];
/** [name, SQL, status, message]: each fails alone, the child and the pool carry on. */
const MEMORY_BLOWS: Array<[string, string, number, RegExp]> = [
  // The example: one value that would grow past 64 MB is refused before memory runs out.
  ['randomblob in a recursive CTE', `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 900000)
    SELECT length(group_concat(randomblob(1000))) FROM c`, 400, /string or blob too big/],
  // Twenty values under that cap, 1.2 GB together: past the child's memory cap.
  ['many large aggregates', `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 60000)
    SELECT ${Array.from({ length: 20 }, (_, i) => `length(group_concat(printf('%.1000c', ${i})))`).join(', ')} FROM c`,
  503, /out of memory/],
];
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const D = '00000000-0000-4000-8000-00000000000d';
let dir: string;
let pool: SandboxPool;
const SERVER = serverSettings({});
/** Each cenv's settings, read as the server's settings cache reads them. */
const settingsOf = new Map<string, Settings>();

function makeCenv(id: string, timeoutMs: number): void {
  const db = openDatabase(cenvFile(dir, id), { create: true });
  migrate(db);
  db.exec(`CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
    CREATE TABLE big (n INTEGER);
    WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000) INSERT INTO big SELECT x FROM c;`);
  db.prepare("INSERT INTO _wce_config (key, value, updated_at) VALUES ('sql_timeout_ms', ?, '') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(timeoutMs));
  settingsOf.set(id, resolveSettings(readConfigRows(db), SERVER));
  db.close();
}

/** Runs one SQL job as the server's routes do (time limit and caps from the cenv's settings). */
function run(target: SandboxPool, cenvId: string, payload: SqlPayload, options: { principal?: Principal; ipKey?: string | null } = {}) {
  const s = settingsOf.get(cenvId) ?? resolveSettings([], SERVER);
  return target.run({
    op: 'sql', cenvId, principal: options.principal ?? OWNER, context: { ip: '127.0.0.1' }, payload,
    timeoutMs: s.sql_timeout_ms, ipKey: options.ipKey ?? null,
    caps: { perCenv: s.sandbox_max_jobs_per_cenv, perIp: s.sandbox_max_jobs_per_ip },
  });
}

async function sql(cenvId: string, body: SqlPayload): Promise<any> {
  return JSON.parse((await run(pool, cenvId, body)).body);
}

async function failure(promise: Promise<unknown>): Promise<{ statusCode: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode: number; message: string };
  }
  assert.fail('expected a failure');
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wce-sandbox-'));
  makeCenv(A, 800);
  makeCenv(B, 30_000);
  makeCenv(C, 3000);
  makeCenv(D, 60_000);
  pool = new SandboxPool({ dataDir: dir, server: SERVER, size: 2, graceMs: 300, memoryMb: 256 });
});
after(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sandbox pool', () => {
  test('answers SQL from a child with the reply JSON', async () => {
    const reply = await sql(A, { sql: 'SELECT ? AS x', params: [41] });
    assert.deepEqual(reply, { columns: ['x'], rows: [[41]], changes: 0, last_insert_rowid: 0, truncated: false });
  });

  test('errors come back as the named errors with their status', async () => {
    const error = await failure(sql(A, { sql: 'SELEC 1' }));
    assert.equal(error.statusCode, 400);
    assert.match(error.message, /syntax error/);
    assert.equal((await failure(sql('00000000-0000-4000-8000-0000000000ff', { sql: 'SELECT 1' }))).statusCode, 404);
  });

  test('a reply carries its effects: committed writes and the tables read', async () => {
    const reply = await run(pool, A, { statements: [
      { sql: "INSERT INTO posts (title) VALUES ('a'), ('b')" },
      { sql: "UPDATE posts SET title = 'c' WHERE title = 'a'" },
      { sql: 'SELECT count(*) FROM big' },
    ] });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.effects.writes, [
      { table: 'posts', action: 'insert', rows: 2 },
      { table: 'posts', action: 'update', rows: 1 },
    ]);
    assert.deepEqual(reply.effects.reads.sort(), ['big', 'posts']);
    assert.deepEqual((await sql(A, { sql: 'SELECT title FROM posts ORDER BY title' })).rows, [['b'], ['c']]);
  });

  test('a read reports no writes; a rollback reports nothing', async () => {
    const read = await run(pool, A, { sql: 'SELECT * FROM posts' });
    assert.deepEqual(read.effects, { writes: [], reads: ['posts'] });
    await failure(run(pool, A, { statements: [{ sql: "INSERT INTO posts (title) VALUES ('x')" }, { sql: 'INSERT INTO posts (title) VALUES (NULL)' }] }));
    assert.deepEqual((await sql(A, { sql: 'SELECT count(*) FROM posts' })).rows, [[2]]);
  });

  test('a payload that cannot be sent fails alone with 400, even with every child busy; the pool carries on', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const busy = [failure(sql(A, { sql: RUNAWAYS[0][1] })), failure(sql(C, { sql: RUNAWAYS[0][1] }))];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const error = await failure(run(pool, B, { sql: 'SELECT ?', params: [deep] as never }));
    assert.equal(error.statusCode, 400);
    assert.match(error.message, /nested too deeply/);
    await Promise.all(busy);
    assert.deepEqual((await sql(B, { sql: 'SELECT 7' })).rows, [[7]]);
  });

  for (const [name, runawaySql] of RUNAWAYS) test(`a runaway query (${name}) ends at its deadline; the same and other cenvs keep answering; the child is replaced`, async () => {
    const before = pool.pids();
    const restarts = pool.restarts;
    const started = Date.now();
    const runaway = failure(sql(A, { sql: runawaySql }));
    // While it runs, both cenvs answer (the other child serves them).
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let i = 0; i < 5; i++) {
      assert.deepEqual((await sql(A, { sql: 'SELECT 1' })).rows, [[1]]);
      assert.deepEqual((await sql(B, { sql: 'SELECT 2' })).rows, [[2]]);
    }
    const error = await runaway;
    const took = Date.now() - started;
    assert.equal(error.statusCode, 504);
    assert.match(error.message, /longer than the 800 ms limit and was stopped; simplify it or raise sql_timeout_ms/);
    assert.ok(took >= 800 && took < 5000, `took ${took} ms`);
    assert.equal(pool.restarts, restarts + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(pool.pids().length, 2);
    assert.notDeepEqual(pool.pids().sort(), before.sort());
    assert.deepEqual((await sql(A, { sql: 'SELECT title FROM posts ORDER BY title' })).rows, [['b'], ['c']]);
  });

  for (const [name, blowSql, status, message] of MEMORY_BLOWS) test(`a query that blows the memory cap (${name}) fails alone`, async () => {
    const blow = failure(sql(B, { sql: blowSql }));
    assert.deepEqual((await sql(A, { sql: 'SELECT 3' })).rows, [[3]]);
    const error = await blow;
    assert.equal(error.statusCode, status);
    assert.match(error.message, message);
    assert.deepEqual((await sql(B, { sql: 'SELECT 4' })).rows, [[4]]);
  });

  test('a child that dies fails only its in-flight request and is replaced', async () => {
    const slow = failure(sql(B, { sql: 'SELECT max(a.n * b.n + c.n) FROM big a, big b, big c' }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(pool.stats().busy, 1);
    process.kill(busyPid(), 'SIGKILL');
    const error = await slow;
    assert.equal(error.statusCode, 503);
    assert.match(error.message, /stopped \(SIGKILL\)/);
    assert.deepEqual((await sql(B, { sql: 'SELECT 5' })).rows, [[5]]);
  });
});

function busyPid(): number {
  const { children } = pool as unknown as { children: Set<{ proc: { pid: number }; inflight: unknown[] }> };
  return [...children].find((c) => c.inflight.length > 0)!.proc.pid;
}

describe('sandbox pool with every child stuck', () => {
  test('a burst child serves the queue while the only child runs away, then leaves', async () => {
    const single = new SandboxPool({ dataDir: dir, server: SERVER, size: 1, graceMs: 300, burstAfterMs: 200, extraIdleMs: 100 });
    try {
      await run(single, B, { sql: 'SELECT 0' });
      let stopped = false;
      // D's limit is a minute: however slowly a burst child starts on a busy machine, the
      // runaway is still running when it answers.
      const runaway = failure(run(single, D, { sql: 'SELECT max(a.n * b.n + c.n) FROM big a, big b, big c' }))
        .finally(() => { stopped = true; });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const quick = JSON.parse((await run(single, B, { sql: 'SELECT 6' })).body);
      assert.deepEqual(quick.rows, [[6]]);
      assert.equal(stopped, false, 'answered by a burst child while the runaway still ran');
      assert.equal(single.stats().extra, 1);
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.deepEqual({ children: single.stats().children, extra: single.stats().extra }, { children: 1, extra: 0 }, 'the idle burst child left');
      await single.close();
      assert.equal((await runaway).statusCode, 503, 'closing the pool stops the runaway');
    } finally {
      await single.close();
    }
  });
});

describe('sandbox pool deadlines on one child', () => {
  test('each job at the front gets its own deadline: a longer limit after a short one, a shorter after a long one', async () => {
    const single = new SandboxPool({ dataDir: dir, server: SERVER, size: 1, graceMs: 300, burstAfterMs: 60_000 });
    try {
      // A's limit is 800 ms: its quick job leaves the child's deadline watch set for ~1.1 s.
      assert.deepEqual(JSON.parse((await run(single, A, { sql: 'SELECT 1' })).body).rows, [[1]]);
      let started = Date.now();
      const long = await failure(run(single, C, { sql: RUNAWAYS[0][1] }));
      const tookLong = Date.now() - started;
      assert.equal(long.statusCode, 504);
      assert.ok(tookLong >= 3000, `C's 3,000 ms limit held, not A's: stopped after ${tookLong} ms`);
      // Now a job with a long limit answered first, and a runaway with A's short limit follows.
      assert.deepEqual(JSON.parse((await run(single, B, { sql: 'SELECT 2' })).body).rows, [[2]]);
      started = Date.now();
      const short = await failure(run(single, A, { sql: RUNAWAYS[0][1] }));
      const tookShort = Date.now() - started;
      assert.equal(short.statusCode, 504);
      assert.ok(tookShort >= 800 && tookShort < 3000, `A's 800 ms limit held, not B's 30 s: stopped after ${tookShort} ms`);
    } finally {
      await single.close();
    }
  });
});

describe('sandbox pool pipelining', () => {
  test("a cenv that keeps a child's pipe full does not keep another cenv waiting for it", async () => {
    // One child and no burst child: the only way B is served early is the child taking the
    // next cenv in rotation once its pipe of A's jobs has drained.
    const single = new SandboxPool({ dataDir: dir, server: SERVER, size: 1, burstAfterMs: 60_000 });
    try {
      await run(single, A, { sql: 'SELECT 0' });
      const order: string[] = [];
      const flood = (target: string, count: number) => Array.from({ length: count }, () => single.run({
        op: 'sql', cenvId: target, principal: OWNER, context: { ip: '127.0.0.1' }, payload: { sql: 'SELECT count(*) FROM big' },
        timeoutMs: 30_000, ipKey: null, caps: { perCenv: 10_000, perIp: 10_000 },
      }).then(() => order.push(target)));
      const many = flood(A, 1500);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const doneBefore = order.length;
      const other = flood(B, 1);
      await Promise.all([...many, ...other]);
      const behind = order.indexOf(B) - doneBefore;
      assert.ok(doneBefore < 1000, `A's flood was still waiting when B came (${doneBefore} done)`);
      // At most the child's pipe (16) and the jobs already on their way to it come first.
      assert.ok(behind >= 0 && behind <= 40, `B waited for ${behind} of A's jobs`);
    } finally {
      await single.close();
    }
  });
});
