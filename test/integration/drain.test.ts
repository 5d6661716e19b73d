/**
 * Eviction that drains: replacing a cenv's file (what import and delete do) waits for the
 * work in flight, in the main process and in every sandbox child, and afterwards no child
 * and no pooled connection serves the old file (a new generation).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readlinkSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import { cenvFile } from '../../src/cenv/paths.ts';
import { removeCenvFiles } from '../../src/cenv/create.ts';

const SLOW_READ = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT (SELECT v FROM t), count(*) FROM c';

let server: TestServer;
let target: NewCenv;
let source: NewCenv;
let owner: LoggedIn;

async function sql(cenv: NewCenv, who: LoggedIn, text: string) {
  return request(`${server.url}/${cenv.id}/sql`, { body: { sql: text }, headers: bearer(who.token) });
}

/** The pids (of `pids`) that have `file` (or its WAL/SHM) open, read from /proc. */
function childrenHolding(pids: number[], file: string): string[] {
  return pids.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(file);
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  }).map(String);
}

before(async () => {
  server = await startServer();
  target = await createCenv(server.url, { username: 'ada', password: 'correct horse battery' });
  source = await createCenv(server.url, { username: 'ada', password: 'another horse battery' });
  owner = await login(server.url, target.id, 'ada', 'correct horse battery');
  const sourceOwner = await login(server.url, source.id, 'ada', 'another horse battery');
  assert.equal((await sql(target, owner, 'CREATE TABLE t (v TEXT)')).status, 200);
  assert.equal((await sql(target, owner, "INSERT INTO t VALUES ('old')")).status, 200);
  assert.equal((await sql(source, sourceOwner, 'CREATE TABLE t (v TEXT)')).status, 200);
  assert.equal((await sql(source, sourceOwner, "INSERT INTO t VALUES ('new')")).status, 200);
});
after(() => server.close());

test('a file replaced during a running query: the query finishes on the old file, everything after sees only the new one', async () => {
  // Warm both children and the main process's pool on the target cenv.
  for (let i = 0; i < 4; i++) assert.deepEqual((await sql(target, owner, 'SELECT v FROM t')).body.rows, [['old']]);
  const running = sql(target, owner, SLOW_READ);
  await new Promise((resolve) => setTimeout(resolve, 100));
  let busyAtReplace = -1;
  let openAtReplace: string[] = [];
  await server.deps.exclusive(target.id, () => {
    busyAtReplace = server.deps.sandbox.stats().busy;
    openAtReplace = childrenHolding(server.deps.sandbox.pids(), cenvFile(server.dataDir, target.id));
    // What an import does: the source file, consistent, in place of the target's.
    const db = new DatabaseSync(cenvFile(server.dataDir, source.id));
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    removeCenvFiles(cenvFile(server.dataDir, target.id));
    copyFileSync(cenvFile(server.dataDir, source.id), cenvFile(server.dataDir, target.id));
  });
  const slow = await running;
  assert.equal(slow.status, 200, JSON.stringify(slow.body));
  assert.deepEqual(slow.body.rows, [['old', 2000000]], 'the running query finished whole, on the old file');
  assert.equal(busyAtReplace, 0, 'the replacement waited for the running query to leave its child');
  assert.deepEqual(openAtReplace, [], 'no sandbox child still had the file open when it was replaced');
  // The old session row is gone with the old file: log in against the new file's owner.
  const fresh = await login(server.url, target.id, 'ada', 'another horse battery');
  for (let i = 0; i < 6; i++) {
    const res = await sql(target, fresh, 'SELECT v FROM t');
    assert.deepEqual(res.body.rows, [['new']], `request ${i} was served by a stale handle`);
  }
});

test('requests that arrive during the drain wait and then run on the new file', async () => {
  const fresh = await login(server.url, target.id, 'ada', 'another horse battery');
  let waited: Promise<Awaited<ReturnType<typeof sql>>> | null = null;
  await server.deps.exclusive(target.id, async () => {
    waited = sql(target, fresh, 'SELECT v FROM t');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const db = new DatabaseSync(cenvFile(server.dataDir, target.id));
    db.exec("UPDATE t SET v = 'newer'");
    db.close();
  });
  const res = await waited!;
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.rows, [['newer']]);
});
