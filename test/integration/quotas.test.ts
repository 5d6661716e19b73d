/**
 * Issue 12, item 3: the quotas are settings, enforced at their edge with a 4xx/5xx that
 * names the limit: database size (507, max_db_bytes), SQL time (504, sql_timeout_ms), body
 * size (413, body_limit_bytes; declared and chunked), connections per cenv (503 after the
 * wait, connections_per_cenv; and a cenv's work occupies at most that many sandbox
 * children). Starlark time (starlark_timeout_ms) belongs to the endpoints op, not on this
 * branch; its setting is in the registry and the pool enforces it like sql_timeout_ms.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;

const put = (body: unknown) => request(`${server.url}/${cenv.id}/admin/config`, { method: 'PUT', body, headers: bearer(owner.token) });
const sql = (text: string, params: unknown[] = []) => request(`${server.url}/${cenv.id}/sql`, { body: { sql: text, params }, headers: bearer(owner.token) });
/** A query that counts to `n` inside SQLite (about 2 ms per 10,000 on the dev machine). */
const count = (n: number) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT count(*) FROM c`;

before(async () => {
  server = await startServer({ env: { WCE_BODY_LIMIT_BYTES: '65536', WCE_CONNECTION_WAIT_MS: '300' } });
  cenv = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  assert.equal((await sql('CREATE TABLE blobs (b BLOB)')).status, 200);
});
after(() => server.close());

test('database size: writes up to max_db_bytes pass, the one past it is a 507 naming it and rolls back whole', async () => {
  assert.equal((await put({ max_db_bytes: 512 * 1024 })).status, 200);
  let stored = 0;
  let refused: Awaited<ReturnType<typeof sql>> | null = null;
  for (let i = 0; i < 20 && !refused; i++) {
    const res = await sql('INSERT INTO blobs VALUES (randomblob(60000))');
    if (res.status === 200) stored++;
    else refused = res;
  }
  assert.ok(stored >= 3, `${stored} blobs fit`);
  assert.equal(refused?.status, 507);
  assert.equal(refused!.body.error.code, 'WCE_ERR_STORAGE_FULL');
  assert.match(refused!.body.error.message, /max_db_bytes/);
  assert.deepEqual((await sql('SELECT count(*) FROM blobs')).body.rows, [[stored]], 'the refused insert left nothing');
  assert.equal((await sql('DELETE FROM blobs')).status, 200, 'a full cenv can still shrink');
  assert.equal((await sql('INSERT INTO blobs VALUES (randomblob(60000))')).status, 200);
});

test('SQL time: a query under sql_timeout_ms answers, one over it is a 504 naming it', async () => {
  assert.equal((await put({ sql_timeout_ms: 400 })).status, 200);
  assert.equal((await sql(count(10_000))).status, 200);
  const slow = await sql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c');
  assert.equal(slow.status, 504);
  assert.match(slow.body.error.message, /400 ms .*sql_timeout_ms/);
  assert.equal((await put({ sql_timeout_ms: 30_000 })).status, 200);
});

/** Sends `body` with chunked transfer encoding (no Content-Length). */
function chunked(path: string, body: string, token: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (let at = 0; at < body.length; at += 500) req.write(body.slice(at, at + 500));
    req.end();
  });
}

test('body size: exactly body_limit_bytes passes, one byte more is a 413 naming it, declared or chunked', async () => {
  assert.equal((await put({ body_limit_bytes: 2048 })).status, 200);
  const bodyOf = (bytes: number) => {
    const head = '{"sql":"SELECT ?","params":["';
    return `${head}${'x'.repeat(bytes - head.length - 3)}"]}`;
  };
  assert.equal(Buffer.byteLength(bodyOf(2048)), 2048);
  const edge = await request(`${server.url}/${cenv.id}/sql`, { method: 'POST', raw: bodyOf(2048), headers: { 'content-type': 'application/json', ...bearer(owner.token) } });
  assert.equal(edge.status, 200, JSON.stringify(edge.body));
  const over = await request(`${server.url}/${cenv.id}/sql`, { method: 'POST', raw: bodyOf(2049), headers: { 'content-type': 'application/json', ...bearer(owner.token) } });
  assert.equal(over.status, 413);
  assert.match(over.body.error.message, /2048 bytes \(body_limit_bytes\)/);
  assert.equal((await chunked(`/${cenv.id}/sql`, bodyOf(2048), owner.token)).status, 200);
  const overChunked = await chunked(`/${cenv.id}/sql`, bodyOf(3000), owner.token);
  assert.equal(overChunked.status, 413);
  assert.match(overChunked.body.error.message, /body_limit_bytes/);
  assert.match((await put({ body_limit_bytes: 65537 })).body.error.message, /to 65536 \(this server's ceiling, WCE_BODY_LIMIT_BYTES\)/);
  assert.equal((await put({ body_limit_bytes: 65536 })).status, 200);
});

test('connections per cenv: past connections_per_cenv a request waits, then is a 503 naming it', async () => {
  assert.equal((await put({ connections_per_cenv: 1 })).status, 200);
  let release!: () => void;
  const held = server.deps.pools.use(cenv.id, () => new Promise<void>((resolve) => { release = resolve; }));
  await sleep(20);
  const refused = await request(`${server.url}/${cenv.id}/admin/users`, { headers: bearer(owner.token) });
  assert.equal(refused.status, 503);
  assert.match(refused.body.error.message, /all 1 connections of this cenv .*connections_per_cenv/);
  const waiting = request(`${server.url}/${cenv.id}/admin/users`, { headers: bearer(owner.token) });
  await sleep(50);
  release();
  await held;
  assert.equal((await waiting).status, 200, 'a request that waits less than the limit gets the connection');
  assert.ok(server.deps.pools.stats().connections <= 1);
});

test('connections per cenv in the sandbox: its work holds at most that many children at once', async () => {
  const busiest = async (n: number) => {
    let max = 0;
    const poll = setInterval(() => { max = Math.max(max, server.deps.sandbox.stats().busy); }, 5);
    // A SELECT first, so the scheduler sees reads (a cenv's possible writes go to one child at a time anyway).
    // 30 ms apart: jobs arriving together would be pipelined into one child by design (sandbox.md).
    const results = await Promise.all(Array.from({ length: n }, (_, i) => sleep(30 * i).then(() => sql(`SELECT (${count(2_000_000)})`))));
    clearInterval(poll);
    assert.deepEqual(results.filter((r) => r.status !== 200).map((r) => r.body), []);
    return max;
  };
  assert.equal((await put({ connections_per_cenv: 1 })).status, 200);
  assert.equal(await busiest(3), 1);
  assert.equal((await put({ connections_per_cenv: 5 })).status, 200);
  assert.equal(await busiest(3), 2, 'with the default, both children take its reads');
});
