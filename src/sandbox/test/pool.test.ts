/**
 * The sandbox pool with real child processes and real cenv files: replies, commit hooks,
 * and the failure modes that must cost only the request that caused them — a runaway query
 * past its deadline, a query that blows the memory cap, a child that dies.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../cenv/open.ts';
import { migrate } from '../../cenv/migrate.ts';
import { cenvFile } from '../../cenv/paths.ts';
import { CommitHooks, type CommitEvent } from '../../db/commit-hooks.ts';
import { SandboxPool } from '../pool.ts';
import { OWNER } from '../../db/test/helpers.ts';

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
];const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
let dir: string;
let pool: SandboxPool;
const events: CommitEvent[] = [];
const hookErrors: unknown[] = [];

function makeCenv(id: string, timeoutMs: number): void {
  const db = openDatabase(cenvFile(dir, id), { create: true });
  migrate(db);
  db.exec(`CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
    CREATE TABLE big (n INTEGER);
    WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000) INSERT INTO big SELECT x FROM c;`);
  db.prepare("INSERT INTO _wce_config (key, value, updated_at) VALUES ('sql_timeout_ms', ?, '') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(timeoutMs));
  db.close();
}

async function sql(cenvId: string, body: object): Promise<any> {
  return JSON.parse(await pool.sql(cenvId, OWNER, { ip: '127.0.0.1' }, body));
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
  const hooks = new CommitHooks({ error: (details) => hookErrors.push(details) });
  hooks.register((event) => { events.push(event); });
  hooks.register(() => { throw new Error('a broken hook'); });
  hooks.register(async (event) => { events.push({ ...event, cenvId: `async:${event.cenvId}` }); });
  pool = new SandboxPool({
    dataDir: dir, size: 2, graceMs: 300, memoryMb: 256, hooks,
    defaults: { sqlTimeoutMs: 30_000, maxRows: 1000, maxDbBytes: 100 * 1024 * 1024 },
  });
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

  test('commit hooks run after a commit, all of them, even when one throws', async () => {
    events.length = 0;
    await sql(A, { statements: [
      { sql: "INSERT INTO posts (title) VALUES ('a'), ('b')" },
      { sql: "UPDATE posts SET title = 'c' WHERE title = 'a'" },
    ] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(events.length, 2);
    assert.equal(events[0].cenvId, A);
    assert.equal(events[1].cenvId, `async:${A}`);
    assert.deepEqual(events[0].principal, OWNER);
    assert.deepEqual(events[0].writes, [
      { table: 'posts', action: 'insert', rows: 2 },
      { table: 'posts', action: 'update', rows: 1 },
    ]);
    assert.ok(hookErrors.length >= 1);
    assert.deepEqual((await sql(A, { sql: 'SELECT title FROM posts ORDER BY title' })).rows, [['b'], ['c']]);
  });

  test('commit hooks never run for a rollback or a read', async () => {
    events.length = 0;
    await failure(sql(A, { statements: [{ sql: "INSERT INTO posts (title) VALUES ('x')" }, { sql: 'INSERT INTO posts (title) VALUES (NULL)' }] }));
    await sql(A, { sql: 'SELECT * FROM posts' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(events, []);
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
    const single = new SandboxPool({
      dataDir: dir, size: 1, graceMs: 300, burstAfterMs: 200,
      defaults: { sqlTimeoutMs: 30_000, maxRows: 1000, maxDbBytes: 100 * 1024 * 1024 },
    });
    try {
      // A warm child: requests queued while it starts could be pipelined behind the runaway.
      await single.sql(B, OWNER, {}, { sql: 'SELECT 0' });
      let stopped = false;
      const runaway = failure(single.sql(C, OWNER, {}, { sql: 'SELECT max(a.n * b.n + c.n) FROM big a, big b, big c' }))
        .finally(() => { stopped = true; });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const quick = JSON.parse(await single.sql(B, OWNER, {}, { sql: 'SELECT 6' }));
      assert.deepEqual(quick.rows, [[6]]);
      assert.equal(stopped, false, 'answered by a burst child while the runaway still ran');
      assert.equal((await runaway).statusCode, 504);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(single.stats().children, 1);
    } finally {
      await single.close();
    }
  });
});
