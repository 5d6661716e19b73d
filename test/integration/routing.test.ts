import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, type TestServer, type NewCenv } from '../helpers/server.ts';

describe('cenv routing', () => {
  let server: TestServer;
  let named: NewCenv;
  before(async () => {
    server = await startServer();
    named = await createCenv(server.url, { name: 'my-app' });
  });
  after(() => server.close());

  const loginBody = () => ({ username: named.username, password: named.password });

  test('a cenv is reached by lower-case id, upper-case id and name', async () => {
    for (const segment of [named.id, named.id.toUpperCase(), 'my-app']) {
      const res = await request(`${server.url}/${segment}/login`, { body: loginBody() });
      assert.equal(res.status, 200, segment);
    }
  });

  const notFound: Array<[string, string]> = [
    ['unknown well-formed UUID', '/00000000-0000-4000-8000-000000000000/login'],
    ['unknown name', '/no-such-app/login'],
    ['reserved word', '/admin/login'],
    ['too short', '/ab/login'],
    ['invalid characters', '/My_App/login'],
    ['dot-dot segment', '/..%2F..%2Fetc%2Fpasswd/login'],
    ['encoded slash in id', '/registry.db/login'],
    ['absolute path attempt', '/%2Fetc%2Fpasswd/login'],
    ['null byte', '/my-app%00/login'],
    ['unknown route in a known cenv', '/my-app/no-such-route'],
    ['unknown top-level path', '/does/not/exist/at/all'],
  ];
  for (const [label, path] of notFound) {
    test(`404 for ${label}`, async () => {
      const res = await request(`${server.url}${path}`, { body: loginBody() });
      assert.equal(res.status, 404, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'WCE_ERR_NOT_FOUND');
      assert.equal(typeof res.body.error.message, 'string');
    });
  }

  test('every answer carries an x-request-id', async () => {
    const res = await request(`${server.url}/health`);
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const other = await request(`${server.url}/health`);
    assert.notEqual(other.headers.get('x-request-id'), res.headers.get('x-request-id'));
  });
});

describe('health checks', () => {
  test('/health, /health/live and /health/ready answer; ready says why it is not, without revealing the path', async () => {
    const server = await startServer();
    try {
      assert.deepEqual((await request(`${server.url}/health`)).body, { status: 'ok' });
      assert.deepEqual((await request(`${server.url}/health/live`)).body, { status: 'ok' });
      const ready = await request(`${server.url}/health/ready`);
      assert.equal(ready.status, 200);
      // The data directory disappears under a running server: not ready, and why.
      const { rmSync } = await import('node:fs');
      rmSync(server.dataDir, { recursive: true, force: true });
      const gone = await request(`${server.url}/health/ready`);
      assert.equal(gone.status, 503);
      assert.equal(gone.body.error.code, 'WCE_ERR_NOT_READY');
      assert.equal(gone.body.error.message, 'data directory not writable');
      assert.ok(!JSON.stringify(gone.body).includes(server.dataDir), 'the data directory path stays in the log');
      assert.ok(server.logs.some((line) => line.includes(server.dataDir) && line.includes('not writable')), 'and is in the log');
      assert.equal((await request(`${server.url}/health/live`)).status, 200);
    } finally {
      await server.close();
    }
  });
});
