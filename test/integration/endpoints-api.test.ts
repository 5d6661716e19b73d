/**
 * `/{cenv}/api/…` over real HTTP: routing (precedence, 404, 405 with Allow, disabled
 * endpoints, saved changes live at once in every child), the script contract (req, return
 * values, bodies of any type), the database as the caller under grants and row policies (one
 * transaction per run; audited; on the commit bus), the endpoint's access, and errors shown
 * in full to owner/admin and as a request id to everyone else — in the log either way.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointWorld, handler, type EndpointWorld } from '../helpers/endpoint-http.ts';
import type { CommitEvent } from '../../src/db/commit-bus.ts';

let w: EndpointWorld;
const events: CommitEvent[] = [];

before(async () => {
  w = await endpointWorld();
  w.server.deps.bus.subscribe((event) => { events.push(event); });
  const grant = await w.call(w.owner, 'POST', '/admin/permissions', { table: 'posts', role: 'user', operations: ['select', 'insert'] });
  assert.equal(grant.status, 201);
  const policy = await w.call(w.owner, 'POST', '/admin/policies', {
    table: 'posts', name: 'own', commands: ['all'], roles: ['user'], using: 'author = $user_id', check: 'author = $user_id',
  });
  assert.equal(policy.status, 201);
  await w.server.deps.pools.use(w.cenv.id, (db) => db.prepare("INSERT INTO posts (author, title) VALUES (?, 'ursula 1'), (?, 'ursula 2'), ('someone', 'other')").run(w.user.userId, w.user.userId));
});
after(() => w.close());

describe('routing', () => {
  before(async () => {
    for (const [method, path, text] of [['GET', '/r/:id', 'param'], ['GET', '/r/new', 'literal'], ['GET', '/f/*rest', 'rest'], ['POST', '/r/:id', 'post']]) {
      await w.save({ method, path, source: handler(`return "${text} " + str(req.params)`) });
    }
  });

  test('exact segments beat parameters; parameters and the rest are bound', async () => {
    assert.equal((await w.api(null, 'GET', '/r/new')).body, 'literal {}');
    assert.equal((await w.api(null, 'GET', '/r/42')).body, 'param {"id": "42"}');
    assert.equal((await w.api(null, 'GET', '/f/a/b%20c')).body, 'rest {"rest": "a/b c"}');
  });

  test('no match is a 404 in the error shape; a path without the method is a 405 with Allow', async () => {
    const missing = await w.api(null, 'GET', '/nothing/here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'WCE_ERR_NOT_FOUND');
    const wrong = await w.api(null, 'DELETE', '/r/1');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD, POST');
    assert.equal(wrong.body.error.code, 'WCE_ERR_METHOD_NOT_ALLOWED');
    assert.equal((await w.api(null, 'GET', '/r/%E2%82')).status, 400, 'a malformed %-escape is the client\'s mistake');
  });

  test('a saved change is live on the next request, in every child; a disabled endpoint is 404', async () => {
    const e = await w.save({ path: '/live', source: handler('return "v1"') });
    assert.equal((await w.api(null, 'GET', '/live')).body, 'v1');
    for (let v = 2; v <= 4; v++) {
      const put = await w.call(w.owner, 'PUT', `/admin/endpoints/${e.id}`, { source: handler(`return "v${v}"`) });
      assert.equal(put.body.version, v);
      // Several requests at once reach both children; none may answer with an older version.
      const answers = await Promise.all(Array.from({ length: 6 }, () => w.api(null, 'GET', '/live')));
      assert.deepEqual(answers.map((a) => a.body), Array(6).fill(`v${v}`));
    }
    await w.call(w.owner, 'PUT', `/admin/endpoints/${e.id}`, { enabled: false });
    assert.equal((await w.api(null, 'GET', '/live')).status, 404);
    await w.call(w.owner, 'PUT', `/admin/endpoints/${e.id}`, { enabled: true, path: '/moved' });
    assert.equal((await w.api(null, 'GET', '/live')).status, 404);
    assert.equal((await w.api(null, 'GET', '/moved')).body, 'v4');
  });
});

describe('the script contract', () => {
  test('req: method, path, params, query, headers without credentials, body, json, user', async () => {
    await w.save({ method: 'ANY', path: '/echo/:x', access: 'user', source: handler([
      'return {"method": req.method, "path": req.path, "params": req.params, "query": req.query, "body": req.body, "json": req.json,',
      '        "user": {"id": req.user.id, "username": req.user.username, "role": req.user.role},',
      '        "h": [req.headers.get("x-a"), "authorization" in req.headers, "cookie" in req.headers, "x-csrf-token" in req.headers]}',
    ].join('\n')) });
    const res = await w.api(w.user, 'PATCH', '/echo/1?q=a+b&q=2&e=', { body: { n: [1, 2.5] }, headers: { 'x-a': 'A', cookie: 'c=1' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      method: 'PATCH', path: '/echo/1', params: { x: '1' }, query: { q: 'a b', e: '' }, body: '{"n":[1,2.5]}', json: { n: [1, 2.5] },
      user: { id: w.user.userId, username: 'ursula', role: 'user' }, h: ['A', false, false, false],
    });
    const text = await w.api(w.user, 'POST', '/echo/2', { raw: 'not json at all', headers: { 'content-type': 'text/csv' } });
    assert.equal(text.body.body, 'not json at all');
    assert.equal(text.body.json, null);
    assert.equal((await w.api(w.user, 'POST', '/echo/3', { raw: '\xff', headers: { 'content-type': 'application/octet-stream' } })).status, 200);
  });

  test('a string is text/plain, None is 204, response() and redirect() set status and headers', async () => {
    await w.save({ path: '/kinds/:k', source: handler([
      'k = req.params["k"]',
      'if k == "none":\n    return None',
      'if k == "made":\n    return response(status=201, headers={"x-made": "yes", "cache-control": "no-store"}, json={"ok": True})',
      'if k == "go":\n    return redirect("/elsewhere", status=303)',
      'return "plain"',
    ].join('\n')) });
    const plain = await w.api(null, 'GET', '/kinds/text');
    assert.deepEqual([plain.status, plain.headers.get('content-type'), plain.body], [200, 'text/plain; charset=utf-8', 'plain']);
    assert.equal((await w.api(null, 'GET', '/kinds/none')).status, 204);
    const made = await w.api(null, 'GET', '/kinds/made');
    assert.deepEqual([made.status, made.headers.get('x-made'), made.headers.get('cache-control'), made.body], [201, 'yes', 'no-store', { ok: true }]);
    const go = await fetch(`${w.server.url}/${w.cenv.id}/api/kinds/go`, { redirect: 'manual' });
    assert.deepEqual([go.status, go.headers.get('location')], [303, '/elsewhere']);
  });
});

describe('the database through an endpoint', () => {
  before(async () => {
    await w.save({ path: '/posts', access: 'user', source: handler('return db.query("SELECT title FROM posts ORDER BY id")') });
    await w.save({ method: 'POST', path: '/posts', access: 'user', source: handler([
      'r = db.execute("INSERT INTO posts (author, title) VALUES (:me, :t)", {"me": req.user.id, "t": req.json["title"]})',
      'if req.json.get("fail"):\n    fail("changed my mind")',
      'return response(status=201, json={"id": r.last_insert_rowid})',
    ].join('\n')) });
  });

  test('a policy-bound user sees only their rows; the owner sees all', async () => {
    assert.deepEqual((await w.api(w.user, 'GET', '/posts')).body, [{ title: 'ursula 1' }, { title: 'ursula 2' }]);
    assert.equal((await w.api(w.owner, 'GET', '/posts')).body.length, 3);
  });

  test('a committed write is audited and published; a write then fail() leaves nothing behind', async () => {
    const count = () => w.server.deps.pools.use(w.cenv.id, (db) => ({
      posts: (db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number }).n,
      audit: (db.prepare("SELECT count(*) AS n FROM _wce_audit_log WHERE action = 'insert' AND table_name = 'posts'").get() as { n: number }).n,
    }));
    const before = await count();
    events.length = 0;
    const created = await w.api(w.user, 'POST', '/posts', { body: { title: 'new one' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(await count(), { posts: before.posts + 1, audit: before.audit + 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(events.map((e) => [e.kind, e.principal.username, e.writes]), [['data', 'ursula', [{ table: 'posts', action: 'insert', rows: 1 }]]]);
    const failed = await w.api(w.user, 'POST', '/posts', { body: { title: 'never', fail: true } });
    assert.equal(failed.status, 500);
    assert.deepEqual(await count(), { posts: before.posts + 1, audit: before.audit + 1 });
  });

  test('read-then-write runs racing in both children all commit (a stale snapshot is retried with the lock)', async () => {
    // GET: the scheduler takes GETs to read and runs them in both children at once.
    await w.save({ method: 'GET', path: '/race', access: 'admin', source: handler([
      'n = db.query_one("SELECT count(*) AS n FROM posts")["n"]',
      'for i in range(20000000):\n    pass',
      'db.execute("INSERT INTO posts (author, title) VALUES (\'race\', ?)", str(n))',
      'return "ok"',
    ].join('\n')) });
    const answers = await Promise.all(Array.from({ length: 8 }, () => w.api(w.owner, 'GET', '/race')));
    assert.deepEqual(answers.map((a) => a.status), Array(8).fill(200), JSON.stringify(answers.find((a) => a.status !== 200)?.body));
    const rows = await w.server.deps.pools.use(w.cenv.id, (db) => (db.prepare("SELECT count(*) AS n FROM posts WHERE author = 'race'").get() as { n: number }).n);
    assert.equal(rows, 8);
  });

  test('a policy CHECK refuses a row for someone else (a script error that names the cause for admins)', async () => {
    const e = await w.save({ method: 'POST', path: '/forge', access: 'user', source: handler('db.execute("INSERT INTO posts (author, title) VALUES (\'someone\', \'forged\')")\nreturn "ok"') });
    const res = await w.api(w.user, 'POST', '/forge', {});
    assert.equal(res.status, 500);
    const logs = await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}/logs`);
    assert.match(logs.body.runs[0].error.message, /row policy "own"/);
  });
});

describe('access and errors', () => {
  test('access: public serves anonymous, user needs a session (401), admin needs owner/admin (403 for users)', async () => {
    for (const access of ['public', 'user', 'admin']) await w.save({ path: `/acc/${access}`, access, source: handler('return "in"') });
    const status = async (who: typeof w.user | null, access: string) => (await w.api(who, 'GET', `/acc/${access}`)).status;
    assert.deepEqual(await Promise.all([null, w.user, w.admin, w.owner].map((who) => status(who, 'public'))), [200, 200, 200, 200]);
    assert.deepEqual(await Promise.all([null, w.user, w.admin, w.owner].map((who) => status(who, 'user'))), [401, 200, 200, 200]);
    assert.deepEqual(await Promise.all([null, w.user, w.admin, w.owner].map((who) => status(who, 'admin'))), [401, 403, 200, 200]);
  });

  test('a Starlark error is a 500 WCE_ERR_SCRIPT: details for owner/admin, a request id for others, logged either way', async () => {
    const e = await w.save({ path: '/boom', source: handler('print("about to fail")\nx = {"secret": "s3"}\nreturn x["missing"]') });
    for (const who of [w.owner, w.admin]) {
      const res = await w.api(who, 'GET', '/boom');
      assert.equal(res.status, 500);
      assert.equal(res.body.error.code, 'WCE_ERR_SCRIPT');
      assert.match(res.body.error.message, /key "missing" not in dict/);
      assert.deepEqual([res.body.error.details.line, res.body.error.details.column], [4, 13]);
      assert.match(res.body.error.details.backtrace, /endpoint\.star:4:13: in handle/);
    }
    for (const who of [w.user, null]) {
      const res = await w.api(who, 'GET', '/boom');
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, { error: { code: 'WCE_ERR_SCRIPT', message: `the endpoint failed; quote request id ${res.headers.get('x-request-id')} when reporting it` } });
    }
    const logs = await w.call(w.owner, 'GET', `/admin/endpoints/${e.id}/logs`);
    assert.equal(logs.body.runs.length, 4);
    const [latest] = logs.body.runs;
    assert.deepEqual([latest.status, latest.logs, latest.error.code, latest.user], [500, ['about to fail'], 'WCE_ERR_SCRIPT', null]);
    assert.match(latest.error.backtrace, /Traceback/);
    assert.ok(!w.server.logs.some((line) => line.includes('s3') || line.includes('missing')), 'a script error is not in the server log');
  });
});
