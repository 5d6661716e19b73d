/**
 * Issue 7, items 6 and 7: a client that sends slowly (or stops) is cut off, and whatever
 * Node's HTTP parser refuses is answered in the one error shape, with the security headers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, createCenv, type TestServer, type NewCenv } from '../helpers/server.ts';
import { rawExchange } from '../helpers/raw-http.ts';

describe('slow requests are cut', () => {
  let server: TestServer;
  let cenv: NewCenv;
  let port: number;
  before(async () => {
    server = await startServer({ env: { WCE_REQUEST_TIMEOUT_MS: '1500', WCE_HEADERS_TIMEOUT_MS: '1000', WCE_KEEP_ALIVE_TIMEOUT_MS: '500' } });
    cenv = await createCenv(server.url);
    port = Number(new URL(server.url).port);
  });
  after(() => server.close());

  const stalls: Array<[string, string]> = [
    ['a body that stops arriving (content-length 1000, 12 bytes sent)',
      `POST /${'{cenv}'}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"username":`],
    ['a chunked body that stops',
      `POST /${'{cenv}'}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"use\r\n`],
    ['headers that never end', `GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n`],
  ];
  for (const [label, raw] of stalls) {
    test(`${label}: the connection is answered 408 and closed within the time limit`, async () => {
      const answer = await rawExchange(port, raw.replace('{cenv}', cenv.id), 8000);
      assert.ok(answer.ms < 4000, `held for ${answer.ms} ms`);
      assert.equal(answer.status, 408, JSON.stringify(answer));
      assert.equal(JSON.parse(answer.body).error.code, 'WCE_ERR_TIMEOUT');
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    });
  }

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const answer = await rawExchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n', 8000);
    assert.equal(answer.status, 200);
    assert.ok(answer.ms < 3000, `kept for ${answer.ms} ms`);
  });

  test('the server still serves afterwards', async () => {
    assert.equal((await request(`${server.url}/health`)).status, 200);
  });
});

describe("errors of Node's HTTP parser keep the shape and the headers", () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startServer();
    port = Number(new URL(server.url).port);
  });
  after(() => server.close());

  const malformed: Array<[string, string, number, string]> = [
    ['bad bytes in the path', 'GET /he\x01lth HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'WCE_ERR_BAD_REQUEST'],
    ['a malformed chunk', 'POST /new HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n', 400, 'WCE_ERR_BAD_REQUEST'],
    ['both Transfer-Encoding and Content-Length', 'POST /new HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'WCE_ERR_BAD_REQUEST'],
    ['a NUL in a header', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Evil: a\x00b\r\n\r\n', 400, 'WCE_ERR_BAD_REQUEST'],
    ['an unknown method', 'BREW /health HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'WCE_ERR_BAD_REQUEST'],
    ['headers over the size limit', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'WCE_ERR_HEADERS_TOO_LARGE'],
  ];
  for (const [label, raw, status, code] of malformed) {
    test(`${label} → ${status} ${code}, with the security headers`, async () => {
      const answer = await rawExchange(port, raw);
      assert.equal(answer.status, status, JSON.stringify(answer).slice(0, 300));
      const body = JSON.parse(answer.body);
      assert.equal(body.error.code, code);
      assert.equal(typeof body.error.message, 'string');
      assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
      assert.match(answer.headers['content-security-policy'], /default-src 'none'/);
      assert.equal(answer.headers['x-frame-options'], 'DENY');
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    });
  }

  test('the server still serves afterwards', async () => {
    assert.equal((await request(`${server.url}/health`)).status, 200);
  });
});
