/**
 * Issue 12, item 2: rate limits per address, per user and per cenv. Past a limit: 429 in the
 * error shape with Retry-After and the RateLimit-* headers, the setting named; after the
 * window, requests pass again. A cenv may lower its limits, never raise them past the
 * server's; 0 turns a limit off; probes and /metrics are never limited; refused credentials
 * count against the address. (The window is shortened to 4 s here: WCE_RATE_LIMIT_WINDOW_MS.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, request, createCenv, login, bearer, tempDir, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDeps, closeDeps } from '../../src/server/deps.ts';
import { createLogger } from '../../src/server/logger.ts';
import { MemoryCounterStore, type CounterStore } from '../../src/tools/counter-store.ts';

const WINDOW = '4000';

describe('limits per address and per user', () => {
  let server: TestServer;
  let cenv: NewCenv;
  let owner: LoggedIn;
  /** One cenv per test (the limits count per cenv), made before any test: POST /new counts too. */
  const cenvs: Array<{ cenv: NewCenv; owner: LoggedIn }> = [];
  before(async () => {
    server = await startServer({ env: { WCE_RATE_LIMIT_IP_PER_MIN: '5', WCE_RATE_LIMIT_USER_PER_MIN: '8', WCE_RATE_LIMIT_WINDOW_MS: WINDOW } });
    for (let i = 0; i < 4; i++) {
      const made = await createCenv(server.url);
      cenvs.push({ cenv: made, owner: await login(server.url, made.id, made.username, made.password) });
    }
    // Every window the setup opened has ended before the first test.
    await sleep(Number(WINDOW));
  });
  const use = (i: number) => ({ cenv, owner } = cenvs[i]);
  after(() => server.close());

  const anonymous = () => request(`${server.url}/${cenv.id}/sql`, { body: { sql: 'SELECT 1' } });

  test('anonymous requests: five pass with the headers counting down, the sixth is a 429 naming the limit, and after the window they pass again', async () => {
    use(0);
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await anonymous();
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('ratelimit-limit'), '5');
      assert.ok(Number(res.headers.get('ratelimit-reset')) >= 1);
      remaining.push(res.headers.get('ratelimit-remaining')!);
    }
    assert.deepEqual(remaining, ['4', '3', '2', '1', '0']);
    const refused = await anonymous();
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'WCE_ERR_RATE_LIMITED');
    assert.match(refused.body.error.message, /rate_limit_ip_per_min/);
    assert.deepEqual([refused.body.error.details.limit, refused.body.error.details.max], ['rate_limit_ip_per_min', 5]);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(refused.headers.get('ratelimit-remaining'), '0');
    assert.equal(refused.headers.get('ratelimit-policy'), '5;w=4');
    assert.equal(refused.headers.get('x-content-type-options'), 'nosniff', 'a 429 still carries the security headers');
    // The signed-in owner from the same address is counted as a user, not by the address.
    assert.equal((await request(`${server.url}/${cenv.id}/sql`, { body: { sql: 'SELECT 1' }, headers: bearer(owner.token) })).status, 200);
    await sleep(Number(refused.headers.get('retry-after')) * 1000);
    assert.equal((await anonymous()).status, 200, 'the window has passed');
  });

  test('a signed-in user: the per-user limit, whatever the address', async () => {
    use(1);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await request(`${server.url}/${cenv.id}/sessions`, { headers: bearer(owner.token) })).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
    const refused = await request(`${server.url}/${cenv.id}/sessions`, { headers: bearer(owner.token) });
    assert.match(refused.body.error.message, /rate_limit_user_per_min/);
  });

  test('refused credentials count against the address: a flood of bad tokens turns from 401 into 429', async () => {
    use(2);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await request(`${server.url}/${cenv.id}/sessions`, { headers: bearer('not.a.token') })).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
  });

  test('probes and /metrics are exempt', async () => {
    for (let i = 0; i < 12; i++) {
      for (const path of ['/health', '/health/live', '/health/ready', '/metrics']) {
        const res = await request(`${server.url}${path}`);
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get('ratelimit-limit'), null, path);
      }
    }
  });

  test('routes outside a cenv count per address under WCE_RATE_LIMIT_IP_PER_MIN', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(`${server.url}/no-such-page`)).status);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429]);
    const refused = await request(`${server.url}/new`, { body: { username: 'x', password: 'correct horse battery' } });
    assert.equal(refused.status, 429);
    assert.match(refused.body.error.message, /WCE_RATE_LIMIT_IP_PER_MIN/);
  });

  test('a cenv may lower its own limit, but not raise it past the server\'s or turn it off', async () => {
    use(3);
    const put = (body: unknown) => request(`${server.url}/${cenv.id}/admin/config`, { method: 'PUT', body, headers: bearer(owner.token) });
    assert.match((await put({ rate_limit_ip_per_min: 6 })).body.error.message, /from 1 to 5 \(this server's ceiling, WCE_RATE_LIMIT_IP_PER_MIN\)/);
    assert.equal((await put({ rate_limit_ip_per_min: 0 })).status, 400, '0 would lift the limit');
    assert.equal((await put({ rate_limit_ip_per_min: 2 })).status, 200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await anonymous()).status);
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});

describe('the per-cenv limit, and no limits at all', () => {
  test('rate_limit_cenv_per_min counts everyone together; other cenvs are not affected', async () => {
    const server = await startServer({ env: { WCE_RATE_LIMIT_CENV_PER_MIN: '6', WCE_RATE_LIMIT_WINDOW_MS: WINDOW } });
    try {
      const busy = await createCenv(server.url);
      const quiet = await createCenv(server.url);
      const owner = await login(server.url, busy.id, busy.username, busy.password);
      await sleep(Number(WINDOW));
      const results = await Promise.all([
        ...Array.from({ length: 4 }, () => request(`${server.url}/${busy.id}/sql`, { body: { sql: 'SELECT 1' } })),
        ...Array.from({ length: 4 }, () => request(`${server.url}/${busy.id}/sql`, { body: { sql: 'SELECT 1' }, headers: bearer(owner.token) })),
      ]);
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
      const refused = results.find((r) => r.status === 429)!;
      assert.match(refused.body.error.message, /rate_limit_cenv_per_min/);
      assert.equal((await request(`${server.url}/${quiet.id}/sql`, { body: { sql: 'SELECT 1' } })).status, 200);
    } finally {
      await server.close();
    }
  });

  test('0 turns every limit off: no headers, no refusals', async () => {
    const server = await startServer();
    try {
      const cenv = await createCenv(server.url);
      const results = [];
      // In fours: more at once from one address would meet sandbox_max_jobs_per_ip, another limit.
      for (let i = 0; i < 40; i++) {
        results.push(...await Promise.all(Array.from({ length: 4 }, () => request(`${server.url}/${cenv.id}/sql`, { body: { sql: 'SELECT 1' } }))));
      }
      assert.deepEqual(results.filter((r) => r.status !== 200).map((r) => r.body), []);
      assert.equal(results[0].headers.get('ratelimit-limit'), null);
    } finally {
      await server.close();
    }
  });
});

describe('a pluggable counter store', () => {
  test('an asynchronous store (as a shared one would be) carries every limit: rate limits and the login throttle', async () => {
    const dataDir = tempDir();
    const memory = new MemoryCounterStore();
    const calls: string[] = [];
    const remote: CounterStore = {
      async increment(namespace, key, windowMs) {
        calls.push(namespace);
        await sleep(1);
        return memory.increment(namespace, key, windowMs);
      },
      async decrement(namespace, key) {
        await sleep(1);
        memory.decrement(namespace, key);
      },
    };
    const config = loadConfig({ WCE_DATA_DIR: dataDir, WCE_BCRYPT_COST: '4', WCE_LOG_LEVEL: 'silent', WCE_RATE_LIMIT_IP_PER_MIN: '3', WCE_LOGIN_MAX_FAILURES: '2' });
    const log = createLogger('silent');
    const deps = createDeps(config, log, { counters: remote });
    const app = await buildApp(deps, log);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const cenv = await createCenv(url);
      const logins = [];
      for (let i = 0; i < 3; i++) logins.push((await request(`${url}/${cenv.id}/login`, { body: { username: cenv.username, password: 'wrong password!' } })).status);
      assert.deepEqual(logins, [401, 401, 429], 'the login throttle counts in the plugged store');
      assert.equal((await request(`${url}/${cenv.id}/sql`, { body: { sql: 'SELECT 1' } })).status, 429, 'the fourth anonymous request to the cenv');
      assert.ok(calls.includes('login') && calls.includes('rate-ip') && calls.includes('new-cenv'));
    } finally {
      await app.close();
      await closeDeps(deps);
    }
  });
});
