/**
 * Issue 12, item 5: security headers on every response, per route kind (API, UI, tenant
 * pages): CSP, frame options, nosniff, Referrer-Policy, Permissions-Policy — on answers of
 * every sort (errors, 404s, 429s, downloads, /metrics, a malformed request) — and HSTS only
 * over HTTPS (here: a trusted proxy's X-Forwarded-Proto), never over plain HTTP.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { startServer, request, createCenv, login, bearer, type TestServer, type NewCenv, type LoggedIn } from '../helpers/server.ts';
import { rawExchange } from '../helpers/raw-http.ts';

let server: TestServer;
let cenv: NewCenv;
let owner: LoggedIn;

async function kinds(app: FastifyInstance): Promise<void> {
  app.get('/ui-page', { config: { access: 'none', kind: 'ui' } }, async (_req, reply) => reply.type('text/html').send('<p>ide</p>'));
  app.get('/tenant-page', { config: { access: 'none', kind: 'tenant' } }, async (_req, reply) => reply.type('text/html').send('<p>tenant</p>'));
  app.get('/tenant-own-csp', { config: { access: 'none', kind: 'tenant' } }, async (_req, reply) =>
    reply.header('content-security-policy', 'default-src *').header('x-frame-options', 'ALLOWALL').type('text/html').send('<p>mine</p>'));
  app.get('/tenant-fails', { config: { access: 'none', kind: 'tenant' } }, async () => {
    throw new Error('the handler broke');
  });
}

function assertCommon(headers: Headers, what: string): void {
  assert.ok(headers.get('content-security-policy'), `${what}: CSP`);
  assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', what);
  assert.match(headers.get('permissions-policy') ?? '', /camera=\(\), microphone=\(\), geolocation=\(\)/, what);
  assert.ok(headers.get('x-frame-options'), `${what}: frame options`);
  assert.equal(headers.get('strict-transport-security'), null, `${what}: no HSTS over plain HTTP`);
}

before(async () => {
  // Trust the loopback proxy, so a test can say "this request came over HTTPS".
  server = await startServer({ env: { WCE_TRUST_PROXY: '127.0.0.1', WCE_RATE_LIMIT_IP_PER_MIN: '1000' }, cenvRoutes: [kinds] });
  cenv = await createCenv(server.url);
  owner = await login(server.url, cenv.id, cenv.username, cenv.password);
});
after(() => server.close());

test('every kind of answer carries the headers of its route kind', async () => {
  const api: Array<[string, Promise<{ headers: Headers; status: number }>, number]> = [
    ['JSON', request(`${server.url}/${cenv.id}/sessions`, { headers: bearer(owner.token) }), 200],
    ['401', request(`${server.url}/${cenv.id}/sessions`), 401],
    ['404 (no route)', request(`${server.url}/nowhere/at/all`), 404],
    ['404 (no cenv)', request(`${server.url}/no-such-cenv/sql`, { body: { sql: 'SELECT 1' } }), 404],
    ['400', request(`${server.url}/${cenv.id}/sql`, { body: { nope: 1 } }), 400],
    ['/metrics', request(`${server.url}/metrics`), 200],
    ['/health', request(`${server.url}/health`), 200],
    ['export download', request(`${server.url}/${cenv.id}/admin/export`, { headers: bearer(owner.token) }), 200],
    ['preflight', fetch(`${server.url}/${cenv.id}/sql`, { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'POST' } }), 204],
  ];
  for (const [what, pending, status] of api) {
    const res = await pending;
    assert.equal(res.status, status, what);
    assertCommon(res.headers, what);
    assert.match(res.headers.get('content-security-policy')!, /^default-src 'none'/, what);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
    // Headers that only documents obey are left off JSON answers (headers.ts, DOCUMENT).
    assert.equal(res.headers.get('cross-origin-opener-policy'), null, what);
    assert.equal(res.headers.get('x-xss-protection'), null, what);
  }
  const ui = await fetch(`${server.url}/${cenv.id}/ui-page`);
  assertCommon(ui.headers, 'ui');
  assert.match(ui.headers.get('content-security-policy')!, /script-src 'self'/);
  assert.equal(ui.headers.get('x-frame-options'), 'DENY');
  assert.equal(ui.headers.get('cross-origin-opener-policy'), 'same-origin', 'documents keep the document headers');
  const tenant = await fetch(`${server.url}/${cenv.id}/tenant-page`);
  assertCommon(tenant.headers, 'tenant');
  assert.match(tenant.headers.get('content-security-policy')!, /^sandbox allow-scripts/);
  // Framed by the IDE's preview only, and sandboxed there too (docs/dev/design-changes.md).
  assert.equal(tenant.headers.get('x-frame-options'), 'SAMEORIGIN');
  assert.equal(tenant.headers.get('cross-origin-opener-policy'), 'same-origin');
  // The tenant policy is put back after the handler, and an error answer of a tenant route carries it too.
  for (const path of ['tenant-own-csp', 'tenant-fails']) {
    const res = await fetch(`${server.url}/${cenv.id}/${path}`);
    assert.match(res.headers.get('content-security-policy')!, /^sandbox allow-scripts/, path);
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN', path);
  }
});

test('a 429 and a 413 carry them too', async () => {
  const tight = await startServer({ env: { WCE_RATE_LIMIT_IP_PER_MIN: '1', WCE_BODY_LIMIT_BYTES: '1024' } });
  try {
    await request(`${tight.url}/x`);
    const limited = await request(`${tight.url}/x`);
    assert.equal(limited.status, 429);
    assertCommon(limited.headers, '429');
  } finally {
    await tight.close();
  }
  const big = await request(`${server.url}/${cenv.id}/sql`, { body: { sql: `SELECT '${'x'.repeat(2 * 1024 * 1024)}'` }, headers: bearer(owner.token) });
  assert.equal(big.status, 413);
  assertCommon(big.headers, '413');
});

test('a request the HTTP parser refuses is answered with the API headers', async () => {
  const port = Number(new URL(server.url).port);
  const answer = await rawExchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n');
  assert.equal(answer.status, 400);
  assert.match(answer.headers['content-security-policy'], /^default-src 'none'/);
  assert.equal(answer.headers['x-frame-options'], 'DENY');
  assert.equal(answer.headers['x-content-type-options'], 'nosniff');
  assert.equal(answer.headers['strict-transport-security'], undefined);
});

test('HSTS only when the request came over HTTPS', async () => {
  for (const path of ['/health', `/${cenv.id}/tenant-page`, `/${cenv.id}/ui-page`, '/nowhere']) {
    const https = await fetch(`${server.url}${path}`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(https.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', path);
    const http = await fetch(`${server.url}${path}`);
    assert.equal(http.headers.get('strict-transport-security'), null, path);
  }
});
