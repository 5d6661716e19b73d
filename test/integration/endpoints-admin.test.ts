/**
 * The endpoint and module admin API over real HTTP: who may call it, the shapes, 400s with
 * line and column for bad sources, 400/409 for bad or duplicate patterns, versions and
 * restore, deletion, test runs (rolled back, as a chosen user, with params from a pattern),
 * the run log, and modules that endpoints load.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointWorld, handler, type EndpointWorld } from '../helpers/endpoint-http.ts';

let w: EndpointWorld;
const HELLO = handler('return "hello"');

before(async () => {
  w = await endpointWorld();
});
after(() => w.close());

describe('who may use the admin API', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/admin/endpoints'], ['POST', '/admin/endpoints', { method: 'GET', path: '/x', source: HELLO }], ['GET', '/admin/endpoints/1'],
    ['PUT', '/admin/endpoints/1', { enabled: false }], ['DELETE', '/admin/endpoints/1'], ['GET', '/admin/endpoints/1/versions'],
    ['GET', '/admin/endpoints/1/versions/1'], ['POST', '/admin/endpoints/1/versions/1/restore'], ['GET', '/admin/endpoints/1/logs'],
    ['POST', '/admin/endpoints/test', { method: 'GET', path: '/x', source: HELLO }], ['GET', '/admin/modules'],
    ['POST', '/admin/modules', { name: 'a.star', source: '' }], ['GET', '/admin/modules/a.star'], ['PUT', '/admin/modules/a.star', { source: '' }],
    ['DELETE', '/admin/modules/a.star'], ['GET', '/admin/modules/a.star/versions'],
  ];
  for (const [method, path, body] of routes) {
    test(`${method} ${path}: 401 anonymous, 403 user`, async () => {
      assert.equal((await w.call(null, method, path, body)).status, 401);
      const res = await w.call(w.user, method, path, body);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'WCE_ERR_FORBIDDEN');
    });
  }
});

describe('endpoints', () => {
  test('create with defaults (201), list without source, get with source', async () => {
    const created = await w.call(w.admin, 'POST', '/admin/endpoints', { method: 'GET', path: '/hello', source: HELLO });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.access, created.body.run_as, created.body.enabled, created.body.version], ['user', 'caller', true, 1]);
    const list = await w.call(w.owner, 'GET', '/admin/endpoints');
    const listed = list.body.endpoints.find((e: { id: number }) => e.id === created.body.id);
    assert.deepEqual(Object.keys(listed).sort(), ['access', 'enabled', 'id', 'method', 'path', 'run_as', 'updated_at', 'version']);
    const one = await w.call(w.owner, 'GET', `/admin/endpoints/${created.body.id}`);
    assert.equal(one.body.source, HELLO);
    assert.equal((await w.call(w.owner, 'GET', '/admin/endpoints/99999')).status, 404);
  });

  const bad: Array<[string, Record<string, unknown>, number, RegExp, [number, number]?]> = [
    ['a syntax error', { path: '/b1', source: 'def handle(req):\n    return [1,\n' }, 400, /line 3, column 1/, [3, 1]],
    ['an undefined name', { path: '/b2', source: 'def handle(req):\n    return nope\n' }, 400, /undefined: nope/, [2, 12]],
    ['no handle', { path: '/b3', source: 'x = 1\n' }, 400, /def handle\(req\)/, [1, 1]],
    ['a malformed pattern', { path: '/b4/:', source: HELLO }, 400, /is malformed/],
    ['a pattern without a leading slash', { path: 'b5', source: HELLO }, 400, /start with "\/"/],
    ['an unknown method', { method: 'TRACE', path: '/b6', source: HELLO }, 400, /invalid request/],
    ['an unknown field', { path: '/b7', source: HELLO, public: true }, 400, /invalid request/],
    ['a duplicate method + pattern', { path: '/hello', source: HELLO }, 409, /already serves GET \/hello/],
  ];
  for (const [name, body, status, message, position] of bad) {
    test(`${name} is refused (${status}) and nothing is saved`, async () => {
      const res = await w.call(w.owner, 'POST', '/admin/endpoints', { method: 'GET', ...body });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.body.error.message, message);
      if (position) {
        assert.equal(res.body.error.code, 'WCE_ERR_SCRIPT_SYNTAX');
        assert.deepEqual([res.body.error.details.line, res.body.error.details.column], position);
      }
    });
  }

  test('versions: a new one per source change; read one; restore makes a new one; the API serves it', async () => {
    const e = await w.save({ path: '/ver', source: handler('return "one"') });
    await w.call(w.owner, 'PUT', `/admin/endpoints/${e.id}`, { source: handler('return "two"') });
    const versions = await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}/versions`);
    assert.deepEqual(versions.body.versions.map((v: { version: number }) => v.version), [2, 1]);
    assert.deepEqual(Object.keys(versions.body.versions[0]).sort(), ['created_at', 'created_by', 'size', 'version']);
    assert.equal((await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}/versions/1`)).body.source, handler('return "one"'));
    assert.equal((await w.api(null, 'GET', '/ver')).body, 'two');
    const restored = await w.call(w.owner, 'POST', `/admin/endpoints/${e.id}/versions/1/restore`);
    assert.equal(restored.body.version, 3);
    assert.equal((await w.api(null, 'GET', '/ver')).body, 'one');
    assert.equal((await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}/versions/7`)).status, 404);
  });

  test('delete: 204, then gone from the API, the admin API and its log', async () => {
    const e = await w.save({ path: '/gone', source: HELLO });
    await w.api(null, 'GET', '/gone');
    assert.equal((await w.call(w.owner, 'DELETE', `/admin/endpoints/${e.id}`)).status, 204);
    assert.equal((await w.api(null, 'GET', '/gone')).status, 404);
    assert.equal((await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}`)).status, 404);
    assert.equal((await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}/logs`)).status, 404);
  });

  test('the log: latest runs first, with status, duration, steps, prints and the version; ?limit', async () => {
    const e = await w.save({ path: '/logged/:n', source: handler('print("n is", req.params["n"])\nreturn "ok"') });
    for (const n of [1, 2, 3]) await w.api(null, 'GET', `/logged/${n}?secret=x`);
    const logs = await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}/logs?limit=2`);
    assert.equal(logs.body.runs.length, 2);
    const [run] = logs.body.runs;
    assert.deepEqual([run.method, run.path, run.status, run.logs, run.version, run.error], ['GET', '/logged/3', 200, ['n is 3'], 1, null]);
    assert.ok(run.steps > 0 && run.duration_ms >= 0);
    assert.match(run.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('test runs', () => {
  const test_ = (body: Record<string, unknown>, who = w.owner) => w.call(who, 'POST', '/admin/endpoints/test', { method: 'GET', path: '/t', ...body });

  test('unsaved source against a synthetic request: the response, prints, steps; params from a pattern', async () => {
    const res = await test_({
      path: '/items/7', pattern: '/items/:id', query: { q: '1' }, headers: { 'X-Test': 'yes' }, body: '{"a": 1}', method: 'POST',
      source: handler('print("hi")\nreturn response(status=202, json={"id": req.params["id"], "q": req.query["q"], "h": req.headers["x-test"], "a": req.json["a"]})'),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.status, res.body.headers['content-type'], JSON.parse(res.body.body), res.body.logs],
      [202, 'application/json; charset=utf-8', { id: '7', q: '1', h: 'yes', a: 1 }, ['hi']]);
    assert.ok(res.body.steps > 0 && typeof res.body.duration_ms === 'number' && res.body.error === undefined);
    assert.equal((await test_({ path: '/other', pattern: '/items/:id', source: HELLO })).status, 400);
  });

  test('a test run leaves no trace: no rows, no audit rows, no commit event', async () => {
    const state = () => w.server.deps.pools.use(w.cenv.id, (db) => db.prepare('SELECT (SELECT count(*) FROM posts) AS p, (SELECT count(*) FROM _wce_audit_log) AS a').get());
    const before = await state();
    const res = await test_({ source: handler('db.execute("INSERT INTO posts (author, title) VALUES (\'x\', \'y\')")\nreturn db.query("SELECT count(*) AS n FROM posts")') });
    assert.deepEqual(JSON.parse(res.body.body), [{ n: 1 }], 'the run saw its own write');
    assert.deepEqual(await state(), before);
  });

  test('errors come back in the result (200), with line, column and backtrace; a bad source is a 400', async () => {
    const res = await test_({ source: handler('fail("nope")') });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.status, res.body.error.code, res.body.error.line, res.body.error.column], [500, 'WCE_ERR_SCRIPT', 2, 9]);
    assert.match(res.body.error.backtrace, /in handle/);
    const bad = await test_({ source: 'def handle(req):\n  return )\n' });
    assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.details.line], [400, 'WCE_ERR_SCRIPT_SYNTAX', 2]);
  });

  test('as_user runs under that user\'s grants; null runs as anonymous; only the owner runs as the owner', async () => {
    const who = handler('return [req.user.username if req.user else None, db.query("SELECT count(*) AS n FROM posts")[0]["n"] if req.user else None]');
    assert.deepEqual(JSON.parse((await test_({ source: who, as_user: 'adam' })).body.body)[0], 'adam');
    assert.deepEqual(JSON.parse((await test_({ source: who, as_user: null })).body.body), [null, null]);
    const refused = await test_({ source: who, as_user: 'ursula' });
    assert.equal(refused.body.error.cause, 'WCE_ERR_FORBIDDEN', 'ursula has no grant on posts');
    assert.equal((await test_({ source: who, as_user: 'nobody' })).status, 400);
    assert.equal((await test_({ source: who, as_user: w.cenv.username }, w.admin)).status, 403);
    assert.equal((await test_({ source: who, run_as: 'owner' }, w.admin)).status, 403);
    assert.equal((await test_({ source: who, run_as: 'owner', as_user: null })).body.status, 200);
  });
});

describe('modules', () => {
  test('create, read, replace (versions), restore; an endpoint loads it and sees each change at once', async () => {
    const created = await w.call(w.owner, 'POST', '/admin/modules', { name: 'lib/greet.star', source: 'def greet(n):\n    return "hi " + n\n' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await w.call(w.owner, 'POST', '/admin/modules', { name: 'lib/greet.star', source: '' })).status, 409);
    await w.save({ path: '/greet/:n', source: 'load("lib/greet.star", "greet")\n' + handler('return greet(req.params["n"])') });
    assert.equal((await w.api(null, 'GET', '/greet/ada')).body, 'hi ada');
    const put = await w.call(w.owner, 'PUT', '/admin/modules/lib/greet.star', { source: 'def greet(n):\n    return "hello " + n\n' });
    assert.deepEqual([put.status, put.body.version], [200, 2]);
    assert.equal((await w.api(null, 'GET', '/greet/ada')).body, 'hello ada');
    const versions = await w.call(w.owner, 'GET', '/admin/modules/lib/greet.star/versions');
    assert.deepEqual(versions.body.versions.map((v: { version: number }) => v.version), [2, 1]);
    assert.match((await w.call(w.owner, 'GET', '/admin/modules/lib/greet.star/versions/1')).body.source, /"hi "/);
    assert.equal((await w.call(w.owner, 'POST', '/admin/modules/lib/greet.star/versions/1/restore')).body.version, 3);
    assert.equal((await w.api(null, 'GET', '/greet/ada')).body, 'hi ada');
    const list = await w.call(w.owner, 'GET', '/admin/modules');
    assert.deepEqual(list.body.modules.map((m: { name: string }) => m.name), ['lib/greet.star']);
    assert.equal((await w.call(w.owner, 'GET', '/admin/modules/lib/greet.star')).body.version, 3);
  });

  test('PUT creates (201); a bad name or source is a 400; a loaded module cannot be deleted (409)', async () => {
    assert.equal((await w.call(w.owner, 'PUT', '/admin/modules/util.star', { source: 'X = 1\n' })).status, 201);
    assert.equal((await w.call(w.owner, 'PUT', '/admin/modules/bad%20name.star', { source: '' })).status, 400);
    const bad = await w.call(w.owner, 'PUT', '/admin/modules/util.star', { source: 'X = (\n' });
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'WCE_ERR_SCRIPT_SYNTAX']);
    assert.equal((await w.call(w.owner, 'DELETE', '/admin/modules/lib/greet.star')).status, 409);
    assert.equal((await w.call(w.owner, 'DELETE', '/admin/modules/util.star')).status, 204);
    assert.equal((await w.call(w.owner, 'GET', '/admin/modules/util.star')).status, 404);
  });
});
