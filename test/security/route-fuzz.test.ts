/**
 * "Bad input gets a 4xx, never a 5xx", checked on every route the server registers — new
 * routes are covered the day they are added. Each route is called anonymously and then by
 * the cenv's owner (so access checks do not stop the input before the handler) with malformed bodies, bodies of
 * the wrong types for every field its schema names, and odd values in its path parameters.
 * Every answer must be below 500, in the one error shape, and the server must still answer
 * afterwards. The few routes that would end the owner's own session are left for last.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteOptions } from 'fastify';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv } from '../helpers/server.ts';

let server: TestServer;
let cenv: NewCenv;
let token: string;
const routes: RouteOptions[] = [];

before(async () => {
  server = await startServer({ onRoute: (route) => routes.push(route) });
  cenv = await createCenv(server.url, { username: 'ada', password: 'correct horse battery' });
  token = (await login(server.url, cenv.id, 'ada', 'correct horse battery')).token;
  const admin = async (path: string, body: unknown) => {
    const res = await request(`${server.url}/${cenv.id}${path}`, { body, headers: bearer(token) });
    assert.ok(res.status < 300, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await admin('/sql', { sql: 'CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)' });
  await admin('/admin/permissions', { table: 't', role: 'anonymous', operations: ['select'] });
  // A public endpoint and a page whose two parameters the odd path values below fill, so the
  // fuzzed requests reach a script and a render instead of stopping at "no such route".
  await admin('/admin/endpoints', {
    method: 'ANY', path: '/:a/:b', access: 'public',
    source: 'def handle(req):\n    return {"a": req.params["a"], "b": req.params["b"], "json": req.json, "rows": db.query("SELECT * FROM t WHERE x = ?", req.params["a"])}\n',
  });
  await admin('/admin/templates', { path: ':a/:b', source: '<p>{{ params.a }} {{ rows.size }}</p>', queries: { rows: 'SELECT * FROM t WHERE x = :a' } });
});
after(() => server.close());

/** Routes that end the caller's session (or all of them): fuzzed last, so the rest run signed in. */
const ENDS_SESSION = /\/(logout|sessions)$|\/me\/password$|\/admin\/(transfer-ownership|import)(\/undo)?$/;

const ODD_PARAMS = ['0', '-1', '999999999999999999999', 'x'.repeat(200), '%00', '..%2F..%2Fregistry.db', '%E2%80%AE', 'null'];

/** Wrong-typed values for each field of a body schema, plus bodies that are not objects at all. */
function badBodies(schema: unknown): unknown[] {
  const bodies: unknown[] = [{}, [], 'text', 12, null, { unexpected: true }];
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  for (const field of Object.keys(properties)) {
    for (const value of [null, 12.5, -1, 'x'.repeat(5000), '', [], {}, [[[]]], { $int: 'x' }, true, '\u0000']) bodies.push({ [field]: value });
  }
  if (Object.keys(properties).length > 0) bodies.push(Object.fromEntries(Object.keys(properties).map((field) => [field, 'x'])));
  return bodies;
}

function urlsOf(route: RouteOptions): string[] {
  const base = route.url.replace(':cenv', cenv.id);
  if (!/[:*]/.test(base)) return [base];
  return ODD_PARAMS.map((value) => base.replace(/:\w+/g, value).replace('*', `${value}/${value}`));
}

async function fuzz(route: RouteOptions, headers: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  const methods = [route.method].flat().filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
  const body = (route.schema as { body?: unknown } | undefined)?.body;
  const htmlErrors = route.url.startsWith('/:cenv/pages');
  for (const method of methods) {
    for (const url of urlsOf(route)) {
      const sends = method === 'GET' || method === 'DELETE' ? [undefined] : badBodies(body);
      for (const sent of sends) {
        const res = await request(`${server.url}${url}`, { method, ...(sent === undefined ? {} : { body: sent }), headers });
        if (res.status >= 500) problems.push(`${method} ${url} ${JSON.stringify(sent)?.slice(0, 80)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        // Pages answer visitors with an HTML 404 of their own; every other route in the one JSON shape.
        else if (res.status >= 400 && !htmlErrors && typeof res.body?.error?.code !== 'string') problems.push(`${method} ${url} → ${res.status} outside the error shape`);
      }
    }
  }
  return problems;
}

test('no malformed input on any route answers 5xx; errors keep the one shape', async () => {
  const api = routes.filter((r) => r.url.startsWith('/:cenv') || r.url === '/new');
  const ordered = [...api.filter((r) => !ENDS_SESSION.test(r.url)), ...api.filter((r) => ENDS_SESSION.test(r.url))];
  assert.ok(ordered.length > 50, `only ${ordered.length} routes were seen`);
  const problems: string[] = [];
  // Anonymous first (what the internet can send before any check), then as the owner.
  for (const route of ordered) problems.push(...await fuzz(route, {}));
  for (const route of ordered) problems.push(...await fuzz(route, bearer(token)));
  assert.deepEqual(problems, []);
  const health = await request(`${server.url}/health`);
  assert.equal(health.status, 200, 'the server still answers');
});
