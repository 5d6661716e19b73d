/**
 * Issue 12, item 9: GET /metrics. The text parses as Prometheus exposition format, counts a
 * request by route pattern and status (never by cenv id or raw path), and carries the
 * sandbox, connection, SQL-duration, login, rate-limit, page-cache and process metrics. Only
 * loopback callers may read it without WCE_METRICS_TOKEN; with it, only the bearer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import { PageWorld } from '../helpers/pages.ts';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(\\{([a-zA-Z_][a-zA-Z0-9_]*="(?:\\\\.|[^"\\\\])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(?:\\\\.|[^"\\\\])*")*\\})? (-?[0-9.]+(?:e[+-]?\\d+)?|NaN|\\+Inf|-Inf)( -?\\d+)?$`);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses exposition text strictly; fails the test on any line it does not understand. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Map<string, string>();
  assert.ok(text.endsWith('\n'));
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      assert.ok(TYPES.has(type[2]), line);
      assert.ok(!typed.has(type[1]), `one TYPE per family: ${line}`);
      typed.set(type[1], type[2]);
      continue;
    }
    if (/^# HELP \S+ .*$/.test(line)) continue;
    const sample = SAMPLE.exec(line);
    assert.ok(sample, `not a Prometheus sample line: ${line}`);
    const family = sample[1].replace(/_(bucket|sum|count|total|created)$/, '');
    assert.ok(typed.has(sample[1]) || typed.has(family), `sample before its TYPE: ${line}`);
    samples.set(line.slice(0, line.lastIndexOf(' ')), Number(sample.at(-2)));
  }
  return samples;
}

describe('GET /metrics from this machine', () => {
  let server: TestServer;
  let cenv: NewCenv;
  let owner: LoggedIn;
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    return { text, samples: parse(text) };
  };
  before(async () => {
    server = await startServer({ env: { WCE_SQL_TIMEOUT_MS: '300', WCE_RATE_LIMIT_IP_PER_MIN: '1000' } });
    cenv = await createCenv(server.url, { name: 'metered' });
    owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  });
  after(() => server.close());

  test('parses as Prometheus text and counts a request by route pattern and status', async () => {
    const key = 'wce_http_requests_total{method="POST",route="/:cenv/sql",status="200"}';
    const before = (await scrape()).samples.get(key) ?? 0;
    assert.equal((await request(`${server.url}/metered/sql`, { body: { sql: 'SELECT 1' }, headers: bearer(owner.token) })).status, 200);
    const { text, samples } = await scrape();
    assert.equal(samples.get(key), before + 1);
    assert.ok((samples.get('wce_http_request_duration_seconds_count{method="POST",route="/:cenv/sql",status="200"}') ?? 0) >= 1);
    assert.ok(samples.has('wce_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/:cenv/sql",status="200"}'));
    assert.ok(!text.includes(cenv.id) && !text.includes('metered'), 'no cenv id or name in any label');
    await request(`${server.url}/some/raw/path/${cenv.id}`);
    assert.ok(!(await scrape()).text.includes(cenv.id), 'unmatched paths are one series, not their raw path');
    assert.ok((await scrape()).samples.has('wce_http_requests_total{method="GET",route="unmatched",status="404"}'));
  });

  test('sandbox, connections, SQL durations, logins, rate limits, commits, page cache and the process', async () => {
    await request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: 'wrong password!' } });
    const stuck = await request(`${server.url}/${cenv.id}/sql`, {
      body: { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c' }, headers: bearer(owner.token),
    });
    assert.equal(stuck.status, 504);
    await request(`${server.url}/${cenv.id}/sql`, { body: { sql: 'CREATE TABLE t (x)' }, headers: bearer(owner.token) });
    server.deps.metrics.pageCache('hit');
    server.deps.metrics.pageCache('rerender');
    const { samples } = await scrape();
    const at = (key: string) => samples.get(key);
    assert.equal(at('wce_logins_failed_total'), 1);
    assert.equal(at('wce_sandbox_children_killed_total{reason="timeout"}'), 1);
    assert.ok((at('wce_sandbox_op_duration_seconds_count{op="sql",outcome="ok"}') ?? 0) >= 2);
    assert.equal(at('wce_sandbox_op_duration_seconds_count{op="sql",outcome="error"}'), 1);
    assert.ok(samples.has('wce_sandbox_children{state="busy"}') && samples.has('wce_sandbox_children{state="idle"}'));
    assert.equal(at('wce_sandbox_jobs_queued'), 0);
    assert.ok((at('wce_cenvs_open') ?? 0) >= 1 && (at('wce_cenv_connections') ?? 0) >= 1);
    assert.ok((at('wce_commit_events_total{kind="data"}') ?? 0) >= 1);
    assert.deepEqual([at('wce_page_cache_events_total{event="hit"}'), at('wce_page_cache_events_total{event="rerender"}')], [1, 1]);
    assert.ok(samples.has('process_cpu_seconds_total') && samples.has('nodejs_heap_size_used_bytes'));
  });

  test('cluster mode adds the node\'s figures, with replication lag as a maximum (no cenv id)', async () => {
    let forwarded = 3;
    server.deps.metrics.cluster(() => ({
      ownedCenvs: 2, replicationLagSeconds: [{ cenvId: cenv.id, seconds: 1.5 }, { cenvId: 'x', seconds: 0 }], leaseRemainingSeconds: 9,
      draining: false, forwardedRequests: forwarded, forwardFailures: 0, litestreamProcesses: 2,
    }));
    let { samples, text } = await scrape();
    assert.deepEqual(['wce_cluster_owned_cenvs', 'wce_cluster_replication_lag_seconds_max', 'wce_cluster_cenvs_lagging', 'wce_cluster_draining', 'wce_cluster_forwarded_requests_total'].map((k) => samples.get(k)), [2, 1.5, 1, 0, 3]);
    assert.ok(!text.includes(cenv.id));
    forwarded = 5;
    ({ samples } = await scrape());
    assert.equal(samples.get('wce_cluster_forwarded_requests_total'), 5);
  });

  test('rate-limit rejections are counted by limit', async () => {
    const limited = await startServer({ env: { WCE_RATE_LIMIT_IP_PER_MIN: '1' } });
    try {
      await request(`${limited.url}/x`);
      assert.equal((await request(`${limited.url}/x`)).status, 429);
      const text = await (await fetch(`${limited.url}/metrics`)).text();
      assert.equal(parse(text).get('wce_rate_limit_rejections_total{limit="ip"}'), 1);
    } finally {
      await limited.close();
    }
  });

  test('through a proxy on this machine that WCE does not trust, without a token: 403', async () => {
    const res = await request(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(res.status, 403);
    assert.equal((await request(`${server.url}/metrics`, { headers: { forwarded: 'for=203.0.113.9' } })).status, 403);
  });

  test('from another address (through a trusted proxy) without a token: 403', async () => {
    const proxied = await startServer({ env: { WCE_TRUST_PROXY: '127.0.0.1' } });
    try {
      const res = await request(`${proxied.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      assert.equal(res.status, 403);
      assert.match(res.body.error.message, /WCE_METRICS_TOKEN/);
    } finally {
      await proxied.close();
    }
  });
});

describe('GET /metrics with WCE_METRICS_TOKEN', () => {
  test('only the bearer of the token reads it', async () => {
    const token = 'a-long-scrape-token-0123456789';
    const server = await startServer({ env: { WCE_METRICS_TOKEN: token } });
    try {
      assert.equal((await request(`${server.url}/metrics`)).status, 401);
      assert.equal((await request(`${server.url}/metrics`, { headers: bearer('a-long-scrape-token-012345678X') })).status, 401);
      const res = await fetch(`${server.url}/metrics`, { headers: bearer(token) });
      assert.equal(res.status, 200);
      parse(await res.text());
    } finally {
      await server.close();
    }
  });
});

describe('page cache metrics', () => {
  test('a miss, then hits, then a background re-render after a commit the page read', async () => {
    const w = await PageWorld.start();
    try {
      await w.sql('CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT)');
      await w.sql("INSERT INTO posts (title) VALUES ('first')");
      await w.grant('posts');
      await w.template({ path: 'list', source: '{% for p in posts %}{{ p.title }};{% endfor %}', queries: { posts: 'SELECT title FROM posts ORDER BY id' } });
      const count = async (event: string) => parse(await (await fetch(`${w.server.url}/metrics`)).text()).get(`wce_page_cache_events_total{event="${event}"}`) ?? 0;
      assert.match((await w.page('list')).text, /first;/);
      assert.match((await w.page('list')).text, /first;/);
      assert.match((await w.page('list')).text, /first;/);
      assert.equal(await count('miss'), 1);
      assert.equal(await count('hit'), 2);
      await w.sql("INSERT INTO posts (title) VALUES ('second')");
      await w.pageShows('list', /second;/);
      await w.settled();
      assert.ok((await count('rerender')) >= 1);
      assert.equal(await count('render_failed'), 0);
    } finally {
      await w.close();
    }
  });
});
