/**
 * Issue 7, items 1 and 5: no request can crash the server or make it buffer without bound.
 *
 * The attack that once took the whole server down: an anonymous `POST /{cenv}/sql` whose
 * `params` nest thousands of levels deep. Sent while the sandbox children are busy, it made
 * the dispatcher's send throw (stack overflow) inside the child's message handler, killing the
 * main process. Each case here is sent while both children run a long query, and the server
 * must answer 400 and keep serving.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';

const SLOW = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function nestedText(depth: number): string {
  return '['.repeat(depth) + '1' + ']'.repeat(depth);
}

describe('no request can crash the server', () => {
  let server: TestServer;
  let cenv: NewCenv;
  let owner: LoggedIn;
  before(async () => {
    server = await startServer({ env: { WCE_SQL_TIMEOUT_MS: '1500', WCE_SANDBOX_MAX_JOBS_PER_IP: '100' } });
    cenv = await createCenv(server.url);
    owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  });
  after(() => server.close());

  const sql = (body: unknown, headers: Record<string, string> = {}) => request(`${server.url}/${cenv.id}/sql`, { body, headers });
  const rawSql = (raw: string) => request(`${server.url}/${cenv.id}/sql`, { raw, headers: { 'content-type': 'application/json' } });

  for (const depth of [3, 65, 1000, 5000, 50_000]) {
    test(`params nested ${depth} deep, anonymous, while both children are busy → 400, and the server keeps serving`, async () => {
      const busy = [sql({ sql: SLOW }), sql({ sql: SLOW })];
      await new Promise((resolve) => setTimeout(resolve, 150));
      const res = depth > 1000 ? await rawSql(`{"sql":"SELECT ?","params":[${nestedText(depth)}]}`) : await sql({ sql: 'SELECT ?', params: [nested(depth)] });
      assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 300));
      assert.match(res.body.error.code, /WCE_ERR_(VALIDATION|INVALID_JSON)/);
      const ok = await sql({ sql: 'SELECT 1 AS one' }, bearer(owner.token));
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body.rows, [[1]]);
      for (const slow of await Promise.all(busy)) assert.equal(slow.status, 504);
    });
  }

  test('every JSON body has a nesting limit, on every route (not only /sql)', async () => {
    for (const path of ['/new', `/${cenv.id}/login`, `/${cenv.id}/admin/users`]) {
      const res = await request(`${server.url}${path}`, { raw: `{"username":${nestedText(200)}}`, headers: { 'content-type': 'application/json', ...bearer(owner.token) } });
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error.code, 'WCE_ERR_INVALID_JSON');
      assert.match(res.body.error.message, /nest at most 64 levels/);
    }
  });

  test('parameters are scalars or the documented lossless forms; anything else is a 400 naming the rule', async () => {
    const bad: unknown[] = [[[1]], [{ a: 1 }], [{ $int: '1', extra: 1 }], [{ $int: 5 }], [{ $blob: 5 }], { x: [1] }, { x: { y: 1 } }];
    for (const params of bad) {
      const res = await sql({ sql: 'SELECT 1', params }, bearer(owner.token));
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.equal(res.body.error.code, 'WCE_ERR_VALIDATION');
    }
    const good = await sql({ sql: 'SELECT ?, ?, ?, ?, ?', params: [1, 'a', null, { $int: '9007199254740993' }, { $blob: 'AAE=' }] }, bearer(owner.token));
    assert.equal(good.status, 200, JSON.stringify(good.body));
    assert.deepEqual(good.body.rows, [[1, 'a', null, { $int: '9007199254740993' }, { $blob: 'AAE=' }]]);
  });

  test('a number that does not fit a double (1e400) is a 400, not a silent NULL', async () => {
    for (const raw of ['{"sql":"SELECT ?","params":[1e400]}', '{"sql":"SELECT :x","params":{"x":-1e999}}']) {
      const res = await rawSql(raw);
      assert.equal(res.status, 400, raw);
      assert.match(res.body.error.message, /too large/);
    }
  });
});

describe('result size is capped for real', () => {
  let server: TestServer;
  let cenv: NewCenv;
  before(async () => {
    server = await startServer();
    cenv = await createCenv(server.url);
  });
  after(() => server.close());

  test('a single 60 MB value (anonymous) is refused with 413; the server stays small and keeps serving', async () => {
    const before = process.memoryUsage().rss;
    const replies = await Promise.all(Array.from({ length: 4 }, () =>
      request(`${server.url}/${cenv.id}/sql`, { body: { sql: 'SELECT randomblob(60000000) AS b' } })));
    for (const res of replies) {
      assert.equal(res.status, 413, String(res.body).slice(0, 200));
      assert.match(res.body.error.message, /larger than the 32 MB result limit/);
    }
    // The main process never held the 80 MB bodies (the test runs the server in this process).
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'the main process did not buffer the blobs');
    assert.equal((await request(`${server.url}/health`)).status, 200);
  });

  test('rows past the byte budget are cut, the row that crosses it included, and marked truncated', async () => {
    const res = await request(`${server.url}/${cenv.id}/sql`, {
      body: { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x, randomblob(10000000) AS b FROM c' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.truncated, true);
    // 10 MB of bytes is about 13.3 MB of base64: two rows fit in 32 MB, the third would not.
    assert.equal(res.body.rows.length, 2);
  });
});
