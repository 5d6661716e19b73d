/**
 * Starlark endpoints as an attack surface, over real HTTP: tenant content is sandboxed and a
 * script cannot lift the sandbox or set cookies; anonymous callers get the `anonymous` role's
 * grants unless the owner chose `run_as: "owner"`; CSRF for cookie callers; and runaways —
 * a `while True`, a query SQLite cannot interrupt, a huge string, memory exhaustion, a huge
 * body — are stopped with a clear status while another cenv keeps being served.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointWorld, handler, type EndpointWorld } from '../helpers/endpoint-http.ts';
import { TENANT_SANDBOX } from '../../src/server/plugins/headers.ts';
import { login, request } from '../helpers/server.ts';

let w: EndpointWorld;

before(async () => {
  // The operator raised the Starlark ceilings (a cenv may only lower what the server sets).
  w = await endpointWorld({ WCE_STARLARK_MAX_STEPS: '1000000000', WCE_STARLARK_TIMEOUT_MS: '60000' });
  await w.server.deps.pools.use(w.cenv.id, (db) => db.exec("CREATE TABLE secrets (v TEXT); INSERT INTO secrets VALUES ('s3cret')"));
});
after(() => w.close());

describe('tenant content', () => {
  test('every endpoint answer carries the sandbox CSP and nosniff: success, script error, 404, 405', async () => {
    await w.save({ path: '/page', source: handler('return response(body="<script>alert(1)</script>", headers={"content-type": "text/html"})') });
    await w.save({ path: '/err', source: handler('fail("x")') });
    for (const [method, path] of [['GET', '/page'], ['GET', '/err'], ['GET', '/none'], ['POST', '/page']]) {
      const res = await w.api(null, method, path);
      assert.ok(res.headers.get('content-security-policy')?.startsWith(TENANT_SANDBOX), `${method} ${path}`);
      assert.ok(!res.headers.get('content-security-policy')!.includes('allow-same-origin'));
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('a script cannot remove the CSP, set a cookie or smuggle a header', async () => {
    for (const [path, headers] of [
      ['/csp', '{"Content-Security-Policy": "default-src *"}'], ['/cookie', '{"Set-Cookie": "wce_session=forged; Path=/"}'],
      ['/crlf', '{"X-A": "1\\r\\nSet-Cookie: a=b"}'], ['/hop', '{"Connection": "close"}'],
    ]) {
      await w.save({ path, source: handler(`return response(body="x", headers=${headers})`) });
      const res = await w.api(null, 'GET', path);
      assert.equal(res.status, 500, path);
      assert.equal(res.headers.get('set-cookie'), null);
      assert.ok(res.headers.get('content-security-policy')?.startsWith(TENANT_SANDBOX));
    }
  });
});

describe('whose rights a script runs with', () => {
  test('a public endpoint runs as anonymous: no grant, no rows; run_as "owner" is the owner\'s deliberate choice', async () => {
    await w.save({ path: '/peek', source: handler('return db.query("SELECT v FROM secrets")') });
    const anon = await w.api(null, 'GET', '/peek');
    assert.equal(anon.status, 500);
    assert.ok(!JSON.stringify(anon.body).includes('s3cret'));
    const logs = await w.call(w.owner, 'GET', '/admin/endpoints');
    const peek = logs.body.endpoints.find((e: { path: string }) => e.path === '/peek');
    const run = (await w.call(w.owner, 'GET', `/admin/endpoints/${peek.id}/logs`)).body.runs[0];
    assert.match(run.error.message, /permission denied: anonymous may not select from secrets/);
    const definer = await w.save({ path: '/peek-as-owner', run_as: 'owner', source: handler('return [db.query("SELECT v FROM secrets")[0]["v"], req.user]') });
    assert.deepEqual((await w.api(null, 'GET', '/peek-as-owner')).body, ['s3cret', null], 'req.user is still the caller');
    assert.equal((await w.call(w.owner, 'GET', `/admin/endpoints/${definer.id}`)).body.run_as, 'owner');
    const byAdmin = await w.call(w.admin, 'POST', '/admin/endpoints', { method: 'GET', path: '/admin-definer', source: handler('return 1'), run_as: 'owner' });
    assert.equal(byAdmin.status, 403);
  });

  test('CSRF: a cookie caller\'s POST needs the header (and the script does not run without it); GET and bearer do not', async () => {
    await w.save({ method: 'POST', path: '/write', access: 'user', source: handler('db.execute("INSERT INTO posts (author, title) VALUES (\'c\', \'csrf\')")\nreturn "done"') });
    await w.save({ method: 'GET', path: '/read', access: 'user', source: handler('return req.user.username') });
    const session = await login(w.server.url, w.cenv.id, w.cenv.username, w.cenv.password);
    const url = `${w.server.url}/${w.cenv.id}/api`;
    const count = () => w.server.deps.pools.use(w.cenv.id, (db) => (db.prepare("SELECT count(*) AS n FROM posts WHERE title = 'csrf'").get() as { n: number }).n);
    const refused = await request(`${url}/write`, { method: 'POST', headers: { cookie: session.cookie } });
    assert.deepEqual([refused.status, refused.body.error.code, await count()], [403, 'WCE_ERR_CSRF', 0]);
    const wrong = await request(`${url}/write`, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': 'guess' } });
    assert.equal(wrong.status, 403);
    const ok = await request(`${url}/write`, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    assert.deepEqual([ok.status, await count()], [200, 1]);
    assert.equal((await request(`${url}/read`, { headers: { cookie: session.cookie } })).body, w.cenv.username);
    assert.equal((await w.api(w.owner, 'POST', '/write')).status, 200, 'bearer callers need no CSRF header');
  });
});

describe('runaways', () => {
  before(async () => {
    await w.setting('starlark_allow_while', 1);
    await w.setting('starlark_allow_recursion', 1);
    await w.setting('starlark_timeout_ms', 1500);
    await w.setting('starlark_max_steps', 1_000_000_000);
  });

  test('`while True` is stopped (504 naming the limit) while another cenv answers at its normal speed', async () => {
    // Compiled Starlark loops about a billion times a second: a short limit, so the deadline
    // and not the step budget (1e9 here) is what stops it.
    await w.setting('starlark_timeout_ms', 500);
    await w.save({ path: '/spin', source: handler('while True:\n    pass') });
    const otherOwner = await login(w.server.url, w.other.id, w.other.username, w.other.password);
    const hello = await w.call(otherOwner, 'POST', '/admin/endpoints', { method: 'GET', path: '/hi', access: 'public', source: handler('return "hi"') }, w.other.id);
    assert.equal(hello.status, 201);
    const timed = async () => {
      const started = Date.now();
      const res = await w.api(null, 'GET', '/hi', { cenv: w.other.id });
      assert.equal(res.body, 'hi');
      return Date.now() - started;
    };
    await timed();
    const spinStarted = Date.now();
    const spin = w.api(null, 'GET', '/spin');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during: number[] = [];
    for (let i = 0; i < 5; i++) during.push(await timed());
    const res = await spin;
    assert.equal(res.status, 504);
    assert.equal(res.body.error.code, 'WCE_ERR_TIMEOUT');
    assert.match(res.body.error.message, /500 ms limit.*starlark_timeout_ms/);
    assert.ok(Date.now() - spinStarted < 500 + 1000, 'stopped by its own deadline, before the hard kill');
    assert.ok(Math.max(...during) < 500, `the other cenv answered in ${during.join(', ')} ms`);
  });

  test('a query SQLite cannot interrupt is stopped by the hard kill (504); the next request is served', async () => {
    await w.setting('starlark_timeout_ms', 300);
    await w.save({ path: '/cte', access: 'admin', source: handler('return db.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")') });
    const res = await w.api(w.owner, 'GET', '/cte');
    assert.equal(res.status, 504);
    assert.match(res.body.error.message, /300 ms limit/);
    await w.setting('starlark_timeout_ms', 1500);
    await w.save({ path: '/after-kill', source: handler('return "alive"') });
    assert.equal((await w.api(null, 'GET', '/after-kill')).body, 'alive');
  });

  test('a huge string is a 413, deep recursion a script error, a body over the limit a 413', async () => {
    await w.save({ path: '/big', source: handler('s = "x"\nfor i in range(40):\n    s = s + s\nreturn s') });
    const big = await w.api(w.owner, 'GET', '/big');
    assert.deepEqual([big.status, big.body.error.code], [413, 'WCE_ERR_PAYLOAD_TOO_LARGE']);
    await w.save({ path: '/deep', source: 'def f(n):\n    return f(n + 1)\n' + handler('return f(0)') });
    const deep = await w.api(w.owner, 'GET', '/deep');
    assert.equal(deep.status, 500);
    assert.match(deep.body.error.message, /call depth exceeds limit of 1000/);
    await w.save({ method: 'POST', path: '/upload', source: handler('return str(len(req.body))') });
    const huge = await w.api(null, 'POST', '/upload', { raw: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'text/plain' } });
    assert.deepEqual([huge.status, huge.body.error.code], [413, 'WCE_ERR_PAYLOAD_TOO_LARGE']);
  });

  test('exhausting memory costs only the child that ran it (503); the endpoint log has the run', async () => {
    await w.setting('starlark_timeout_ms', 20_000);
    const e = await w.save({ path: '/hog', source: handler('keep = []\nfor i in range(1000):\n    keep.append([i] * 4000000)\nreturn len(keep)') });
    const res = await w.api(w.owner, 'GET', '/hog');
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'WCE_ERR_UNAVAILABLE');
    assert.equal((await w.api(null, 'GET', '/after-kill')).body, 'alive');
    const run = (await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}/logs`)).body.runs[0];
    assert.deepEqual([run.status, run.error.code], [503, 'WCE_ERR_UNAVAILABLE']);
  });
});
