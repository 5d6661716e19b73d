/**
 * Issue 12, item 4: CORS per cenv (`cors_allowed_origins`, none by default). A preflight from
 * a listed origin gets exactly that origin, the methods the path serves and the headers WCE
 * reads, with credentials; any other origin, and any path or method no opted-in route
 * serves, gets no CORS header at all. Actual answers (errors too) carry the origin for a
 * listed one only. Tested on `/{cenv}/sql` and on a test route that opts in with one line.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

let server: TestServer;
let cenv: NewCenv;
let plain: NewCenv;
let owner: LoggedIn;

async function testRoutes(app: FastifyInstance): Promise<void> {
  app.get('/widgets/:id', { config: { access: 'anonymous', cors: true } }, async (req) => ({ id: (req.params as { id: string }).id }));
  app.put('/widgets/:id', { config: { access: 'user', cors: true } }, async () => ({ ok: true }));
  app.get('/internal', { config: { access: 'anonymous' } }, async () => ({ ok: true }));
}

const preflight = (path: string, origin: string, method: string, target = cenv.id) =>
  fetch(`${server.url}/${target}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
  });
const corsHeaders = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith('access-control-')).sort();

before(async () => {
  server = await startServer({ cenvRoutes: [testRoutes] });
  cenv = await createCenv(server.url);
  plain = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
  const put = await request(`${server.url}/${cenv.id}/admin/config`, {
    method: 'PUT', body: { cors_allowed_origins: [ALLOWED, 'http://localhost:3000'] }, headers: bearer(owner.token),
  });
  assert.equal(put.status, 200);
});
after(() => server.close());

test('preflight from a listed origin: exactly that origin, the path\'s methods, the allowed headers, credentials', async () => {
  const res = await preflight('/sql', ALLOWED, 'POST');
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
  assert.equal(res.headers.get('access-control-allow-methods'), 'POST');
  assert.equal(res.headers.get('access-control-allow-headers'), 'authorization, content-type, x-csrf-token');
  assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(res.headers.get('access-control-max-age'), '600');
  assert.match(res.headers.get('vary') ?? '', /Origin/);
  const widgets = await preflight('/widgets/7', ALLOWED, 'PUT');
  assert.equal(widgets.headers.get('access-control-allow-methods'), 'GET, HEAD, PUT', 'every opted-in method at that path, nothing else');
});

const refused: Array<[string, string, string, string]> = [
  ['another origin', '/sql', OTHER, 'POST'],
  ['a listed origin with another port', '/sql', 'https://app.example.com:8443', 'POST'],
  ['the origin as a prefix', '/sql', 'https://app.example.com.evil.example.net', 'POST'],
  ['a method the path does not serve', '/sql', ALLOWED, 'DELETE'],
  ['a route that did not opt in', '/internal', ALLOWED, 'GET'],
  ['the admin API', '/admin/users', ALLOWED, 'GET'],
  ['a path nothing serves', '/nothing/here', ALLOWED, 'GET'],
];
for (const [what, path, origin, method] of refused) {
  test(`preflight with ${what}: no CORS headers at all`, async () => {
    const res = await preflight(path, origin, method);
    assert.equal(res.status, 204);
    assert.deepEqual(corsHeaders(res.headers), []);
  });
}

test('a cenv that lists no origin answers no one, even an origin another cenv lists', async () => {
  const res = await preflight('/sql', ALLOWED, 'POST', plain.id);
  assert.deepEqual(corsHeaders(res.headers), []);
  const actual = await fetch(`${server.url}/${plain.id}/sql`, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json' }, body: '{"sql":"SELECT 1"}' });
  assert.deepEqual(corsHeaders(actual.headers), []);
});

test('actual requests: the listed origin is answered with credentials, errors included; another origin gets nothing', async () => {
  const ok = await fetch(`${server.url}/${cenv.id}/sql`, {
    method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json', ...bearer(owner.token) }, body: '{"sql":"SELECT 1"}',
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), ALLOWED);
  assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
  assert.match(ok.headers.get('access-control-expose-headers') ?? '', /ratelimit-remaining/);
  assert.equal(ok.headers.get('vary'), 'Origin');
  const unauthorized = await fetch(`${server.url}/${cenv.id}/widgets/1`, { method: 'PUT', headers: { origin: ALLOWED } });
  assert.equal(unauthorized.status, 401);
  assert.equal(unauthorized.headers.get('access-control-allow-origin'), ALLOWED, 'the client can read its 401');
  const other = await fetch(`${server.url}/${cenv.id}/widgets/1`, { headers: { origin: OTHER } });
  assert.equal(other.status, 200);
  assert.deepEqual(corsHeaders(other.headers), []);
  assert.equal(other.headers.get('vary'), 'Origin');
  const notOptedIn = await fetch(`${server.url}/${cenv.id}/internal`, { headers: { origin: ALLOWED } });
  assert.deepEqual(corsHeaders(notOptedIn.headers), []);
});

test('removing the origin applies to the next preflight', async () => {
  const put = await request(`${server.url}/${cenv.id}/admin/config`, { method: 'PUT', body: { cors_allowed_origins: [] }, headers: bearer(owner.token) });
  assert.equal(put.status, 200);
  assert.deepEqual(corsHeaders((await preflight('/sql', ALLOWED, 'POST')).headers), []);
});
