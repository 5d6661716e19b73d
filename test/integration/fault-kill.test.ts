/**
 * Issue 12, fault test: `kill -9` of the server during a write load, restart, and every write
 * that was acknowledged (200) before the kill is there. WAL with synchronous=NORMAL makes a
 * commit durable against a process crash (not a power cut): the WAL frames are in the
 * operating system's cache before the reply goes out. Three rounds on one data directory;
 * the numbers are printed (and recorded in bench/RESULTS.md, "Fault: kill -9").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from 'node:sqlite';
import { spawnServer, request, createCenv, login, bearer, tempDir, type NewCenv, type SpawnedServer } from '../helpers/server.ts';
import { cenvFile } from '../../src/cenv/paths.ts';

function readKeys(file: string): string[] {
  const db = new DatabaseSync(file);
  try {
    return (db.prepare('SELECT k FROM w').all() as Array<{ k: string }>).map((r) => r.k);
  } finally {
    db.close();
  }
}

const WRITERS = 8;
const ROUNDS = 3;

test('kill -9 under write load: every acknowledged write survives the restart', async () => {
  const dataDir = tempDir('wce-kill-');
  const env = { WCE_DATA_DIR: dataDir, WCE_LOG_LEVEL: 'info', WCE_JWT_SECRET: 'k'.repeat(40) };
  let server: SpawnedServer = await spawnServer(env);
  try {
    await rounds();
  } finally {
    server.child.kill('SIGKILL');
  }

  async function rounds(): Promise<void> {
  const cenv: NewCenv = await createCenv(server.url);
  let owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  assert.equal((await request(`${server.url}/${cenv.id}/sql`, { body: { sql: 'CREATE TABLE w (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE)' }, headers: bearer(owner.token) })).status, 200);
  const acknowledged = new Set<string>();
  const report: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    let ackedThisRound = 0;
    let failed = 0;
    let stop = false;
    const url = server.url;
    const token = owner.token;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const k = `r${round}-w${w}-${i}`;
        try {
          const res = await request(`${url}/${cenv.id}/sql`, { body: { sql: 'INSERT INTO w (k) VALUES (?)', params: [k] }, headers: bearer(token) });
          if (res.status === 200) {
            acknowledged.add(k);
            ackedThisRound++;
          } else failed++;
        } catch {
          failed++; // the connection died with the server: not acknowledged
          return;
        }
      }
    });
    await sleep(700 + 400 * round);
    server.child.kill('SIGKILL');
    const code = await server.exited;
    stop = true;
    await Promise.all(writers);
    // The sandbox children notice their parent is gone and leave; give them a moment.
    await sleep(300);
    server = await spawnServer(env);
    owner = await login(server.url, cenv.id, cenv.username, cenv.password);
    // Read from the file itself (a second connection beside the restarted server): the SQL API caps rows at max_rows.
    const present = new Set<string>(readKeys(cenvFile(dataDir, cenv.id)));
    const lost = [...acknowledged].filter((k) => !present.has(k));
    const extra = [...present].filter((k) => !acknowledged.has(k)).length;
    const check = await request(`${server.url}/${cenv.id}/sql`, { body: { sql: 'PRAGMA quick_check' }, headers: bearer(owner.token) });
    report.push(`round ${round}: killed (${code === null ? 'SIGKILL' : code}) after ${ackedThisRound} acknowledged writes this round ` +
      `(${acknowledged.size} in all), ${failed} cut off; after restart ${present.size} rows: ${lost.length} acknowledged missing, ` +
      `${extra} committed but never acknowledged (in all rounds)`);
    assert.deepEqual(lost, [], 'an acknowledged write was lost');
    assert.ok(ackedThisRound > 0, 'the load ran');
    assert.notEqual(check.status, 500);
  }
  console.log(report.join('\n'));
  }
});
