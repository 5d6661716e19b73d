import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, type TestServer, type NewCenv } from '../helpers/server.ts';
import { rawRequest } from '../helpers/raw-http.ts';

describe('no client input produces a 5xx or stops the server', () => {
  let server: TestServer;
  let cenv: NewCenv;
  let port: number;
  before(async () => {
    server = await startServer({
      env: { WCE_BODY_LIMIT_BYTES: '4096' },
      extend: (app) => {
        app.get('/test-only/boom', async () => { throw new TypeError('handler bug'); });
      },
    });
    cenv = await createCenv(server.url);
    port = Number(new URL(server.url).port);
  });
  after(() => server.close());

  const cases: Array<[string, string, { method?: string; raw?: string; body?: unknown; headers?: Record<string, string> }, number]> = [
    ['truncated JSON', '/new', { method: 'POST', raw: '{"username":', headers: { 'content-type': 'application/json' } }, 400],
    ['JSON with trailing garbage', '/new', { method: 'POST', raw: '{"username":"a"} x', headers: { 'content-type': 'application/json' } }, 400],
    ['empty JSON body', '/new', { method: 'POST', raw: '', headers: { 'content-type': 'application/json' } }, 400],
    ['JSON null', '/new', { method: 'POST', raw: 'null', headers: { 'content-type': 'application/json' } }, 400],
    ['JSON string', '/new', { method: 'POST', raw: '"hello"', headers: { 'content-type': 'application/json' } }, 400],
    ['__proto__ pollution', '/new', { method: 'POST', raw: '{"__proto__":{"admin":true},"username":"a","password":"correct horse"}', headers: { 'content-type': 'application/json' } }, 400],
    ['text/plain body', '/new', { method: 'POST', raw: 'username=a', headers: { 'content-type': 'text/plain' } }, 415],
    ['form body', '/new', { method: 'POST', raw: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
    ['oversized body', '/new', { method: 'POST', body: { username: 'a', password: 'x'.repeat(10_000) } }, 413],
    ['nested arrays as fields', '/new', { method: 'POST', body: { username: [[['a']]], password: { a: 1 } } }, 400],
    ['lone surrogate in password', '/new', { method: 'POST', raw: '{"username":"a","password":"correct horse\\udc00"}', headers: { 'content-type': 'application/json' } }, 400],
    ['lone surrogate in username', '/new', { method: 'POST', raw: '{"username":"\\ud800","password":"correct horse"}', headers: { 'content-type': 'application/json' } }, 400],
    ['path traversal to data dir', '/..%2F..%2Fregistry.db/login', { method: 'POST', body: {} }, 404],
    ['double-encoded traversal', '/%252e%252e%252fetc/login', { method: 'POST', body: {} }, 404],
    ['very long path', `/${'a'.repeat(5000)}/login`, { method: 'POST', body: {} }, 414],
    ['login with a number password', `/{cenv}/login`, { method: 'POST', body: { username: 'x', password: 1 } }, 400],
    ['bearer with spaces', '/{cenv}/sessions', { headers: { authorization: 'Bearer a b c' } }, 401],
    ['bearer with unicode', '/{cenv}/sessions', { headers: { authorization: 'Bearer ÿÿÿ' } }, 401],
    ['cookie of garbage', '/{cenv}/sessions', { headers: { cookie: 'wce_session=%%%; wce_csrf=' } }, 401],
    ['delete session with a huge id', '/{cenv}/sessions/' + 'x'.repeat(300), { method: 'DELETE', headers: { authorization: 'Bearer x.y.z' } }, 414],
  ];
  for (const [label, path, init, status] of cases) {
    test(`${label} → ${status}`, async () => {
      const res = await request(`${server.url}${path.replace('{cenv}', cenv.id)}`, init);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(typeof res.body.error.code, 'string');
      assert.equal(typeof res.body.error.message, 'string');
      assert.ok(res.body.error.message.length > 0);
    });
  }

  test('invalid UTF-8 bytes in a JSON body are a 400', async () => {
    const body = Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","password":"correct horse"}')]);
    const head = `POST /new HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    assert.equal(await rawRequest(port, Buffer.concat([Buffer.from(head), body])), 400);
  });

  test('malformed HTTP gets a 400 from the parser, not a crash', async () => {
    assert.equal(await rawRequest(port, 'GARBAGE / HTTP/1.1\r\n\r\n'), 400);
    assert.equal(await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'), 400);
  });

  test('a bug in a handler is a logged 500 in the error shape, and the server keeps serving', async () => {
    const res = await request(`${server.url}/test-only/boom`);
    assert.equal(res.status, 500);
    assert.equal(res.body.error.code, 'WCE_ERR_INTERNAL');
    assert.doesNotMatch(res.body.error.message, /TypeError|handler bug|at /, 'no internals leak');
    assert.ok(res.body.error.message.includes(res.headers.get('x-request-id')!), 'message names the request id');
    assert.ok(server.logs.some((line) => line.includes('handler bug') && line.includes(res.headers.get('x-request-id')!)));
    assert.equal((await request(`${server.url}/health`)).status, 200);
  });

  test('after all of the above the server still answers', async () => {
    assert.equal((await request(`${server.url}/health`)).status, 200);
    assert.equal((await request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: cenv.password } })).status, 200);
  });
});
