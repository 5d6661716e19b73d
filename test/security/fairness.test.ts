/**
 * Issue 7, items 2–4: one tenant (or one address) cannot stall the others.
 *
 * - A flood of never-ending queries to cenv A must not make cenv B wait for them: B's
 *   queries are answered while A's are still running (rotation + a per-cenv cap on running
 *   jobs + a burst child), and the flood itself is capped per address.
 * - A flood of cenv creations must not delay another cenv's login behind its hashes.
 * - Parallel wrong passwords are counted before the hash: at most the limit's worth get
 *   checked at all.
 *
 * These assert behaviour (who waits behind whom), not speed; the latency figures are in
 * bench/RESULTS.md (`npm run bench -- fairness`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv } from '../helpers/server.ts';

const FOREVER = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

describe('one tenant cannot stall another', () => {
  let server: TestServer;
  let a: NewCenv;
  let b: NewCenv;
  before(async () => {
    server = await startServer({ env: { WCE_SQL_TIMEOUT_MS: '2000', WCE_SANDBOX_MAX_JOBS_PER_IP: '4' } });
    a = await createCenv(server.url);
    b = await createCenv(server.url);
  });
  after(() => server.close());

  test("twelve anonymous never-ending queries to A: B's owner is answered while they run; the address cap refuses the rest with 429", async () => {
    const bOwner = await login(server.url, b.id, b.username, b.password);
    let aDone = 0;
    const flood = Array.from({ length: 12 }, () => request(`${server.url}/${a.id}/sql`, { body: { sql: FOREVER } })
      .then((res) => { if (res.status !== 429) aDone++; return res; }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const answeredWhileAWasBusy: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await request(`${server.url}/${b.id}/sql`, { body: { sql: 'SELECT 1' }, headers: bearer(bOwner.token) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      answeredWhileAWasBusy.push(aDone === 0);
    }
    assert.ok(answeredWhileAWasBusy.every(Boolean), 'every B query was answered before any of A\'s flood ended');
    const statuses = (await Promise.all(flood)).map((res) => res.status);
    // sandbox_max_jobs_per_ip (4 here) of them ran or waited and were stopped at the deadline; the rest never queued.
    assert.equal(statuses.filter((s) => s === 504).length, 4);
    assert.equal(statuses.filter((s) => s === 429).length, 8);
  });

  test('a cenv with too much work waiting is answered 503 (its own cap), and others are not', async () => {
    const signedIn = await login(server.url, a.id, a.username, a.password);
    await server.deps.pools.use(a.id, (db) => db.prepare("INSERT INTO _wce_config (key, value, updated_at) VALUES ('sandbox_max_jobs_per_cenv', '2', '')").run());
    server.deps.settings.invalidate(a.id);
    const flood = await Promise.all(Array.from({ length: 5 }, () =>
      request(`${server.url}/${a.id}/sql`, { body: { sql: FOREVER }, headers: bearer(signedIn.token) })));
    const statuses = flood.map((res) => res.status).sort();
    assert.deepEqual(statuses, [503, 503, 503, 504, 504]);
    const refused = flood.find((res) => res.status === 503)!;
    assert.match(refused.body.error.message, /sandbox_max_jobs_per_cenv/);
  });
});

describe('password hashing cannot be monopolised', () => {
  let server: TestServer;
  let other: NewCenv;
  before(async () => {
    // Cost 10: a hash takes tens of milliseconds, so a queue of them is measurable.
    server = await startServer({ env: { WCE_BCRYPT_COST: '10', WCE_NEW_CENVS_PER_HOUR: '1000' } });
    other = await createCenv(server.url);
  });
  after(() => server.close());

  test("a flood of POST /new does not hold another cenv's login behind its hashes", async () => {
    let created = 0;
    // 30: under the hasher's per-address queue bound (32), so every one of them is hashed eventually.
    const flood = Array.from({ length: 30 }, (_, i) => request(`${server.url}/new`, { body: { username: `flood${i}`, password: 'correct horse battery' } })
      .then((res) => { if (res.status === 201) created++; return res; }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await request(`${server.url}/${other.id}/login`, { body: { username: other.username, password: other.password } });
    assert.equal(res.status, 200);
    const createdBeforeLogin = created;
    await Promise.all(flood);
    assert.equal(created, 30);
    assert.ok(createdBeforeLogin < 10, `the login waited for ${createdBeforeLogin} of 30 creations; rotation should let it in after about one per core`);
  });

  test('POST /new is limited per address (429 with Retry-After), counted before the hash', async () => {
    const limited = await startServer({ env: { WCE_NEW_CENVS_PER_HOUR: '3' } });
    try {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        request(`${limited.url}/new`, { body: { username: `u${i}`, password: 'correct horse battery' } })));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429]);
      const refused = results.find((r) => r.status === 429)!;
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      assert.equal(refused.body.error.code, 'WCE_ERR_RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('the login throttle counts parallel guesses', () => {
  test('forty parallel wrong passwords: at most the limit (10) are checked, the rest get 429 at once', async () => {
    const server = await startServer({ env: { WCE_LOGIN_MAX_FAILURES: '10' } });
    try {
      const cenv = await createCenv(server.url);
      const results = await Promise.all(Array.from({ length: 40 }, () =>
        request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: 'wrong password!' } })));
      const count = (status: number) => results.filter((r) => r.status === status).length;
      assert.equal(count(401), 10);
      assert.equal(count(429), 30);
      const failures = await server.deps.pools.use(cenv.id, (db) =>
        (db.prepare("SELECT count(*) AS n FROM _wce_audit_log WHERE action = 'login_failed'").get() as { n: number }).n);
      assert.equal(failures, 10, 'only the checked attempts reached bcrypt and the audit log');
      // Even the right password is refused until the window passes.
      const right = await request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: cenv.password } });
      assert.equal(right.status, 429);
    } finally {
      await server.close();
    }
  });

  test('successful logins give their attempt back: many parallel right passwords all succeed', async () => {
    const server = await startServer({ env: { WCE_LOGIN_MAX_FAILURES: '3' } });
    try {
      const cenv = await createCenv(server.url);
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(Array.from({ length: 3 }, () =>
          request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: cenv.password } })));
        assert.deepEqual(results.map((r) => r.status), [200, 200, 200]);
      }
    } finally {
      await server.close();
    }
  });
});
