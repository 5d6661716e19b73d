import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { spawnServer, request, createCenv, login, bearer, tempDir } from '../helpers/server.ts';
import { Registry } from '../../src/cenv/registry.ts';
import { registryFile } from '../../src/cenv/paths.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the server process', () => {
  test('SIGTERM during load: in-flight requests finish, then exit 0', async () => {
    const server = await spawnServer({ WCE_BCRYPT_COST: '12', WCE_LOG_LEVEL: 'info', WCE_LOGIN_MAX_FAILURES: '0' });
    const cenv = await createCenv(server.url);
    // Logins at cost 12 run one per core at a time (about 2 s for all 16), so when the signal
    // comes every request has been received (even on a busy machine) and most are still
    // waiting for their hash. A connection whose request has not arrived yet is idle, and
    // closing idle connections is part of a graceful stop.
    const inFlight = Array.from({ length: 16 }, () =>
      request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: cenv.password } }));
    await new Promise((resolve) => setTimeout(resolve, 700));
    server.child.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    assert.deepEqual(results.map((r) => r.status), results.map(() => 200), 'every accepted request was answered');
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /shutting down/);
    assert.match(server.output(), /"msg":"stopped"/);
    await assert.rejects(fetch(`${server.url}/health`), 'no longer listening');
  });

  test('logs are JSON with a request id and never contain passwords or tokens', async () => {
    const server = await spawnServer({ WCE_LOG_LEVEL: 'debug' });
    const password = 'S3cret-passw0rd-xyz';
    const cenv = await createCenv(server.url, { password });
    const session = await login(server.url, cenv.id, cenv.username, password);
    const res = await request(`${server.url}/${cenv.id}/sessions`, { headers: { ...bearer(session.token), cookie: session.cookie } });
    await request(`${server.url}/${cenv.id}/login`, { body: { username: cenv.username, password: 'wrong-' + password } });
    server.child.kill('SIGTERM');
    await server.exited;
    const output = server.output();
    assert.ok(!output.includes(password), 'password in the log');
    assert.ok(!output.includes(session.token.split('.')[2]), 'token signature in the log');
    assert.ok(!output.includes(session.csrf), 'csrf token in the log');
    const lines = output.split('\n').filter((l) => l.startsWith('{'));
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    assert.ok(requestLines.length > 0);
    assert.ok(requestLines.every((l) => typeof l.reqId === 'string'));
    assert.ok(requestLines.some((l) => l.reqId === res.headers.get('x-request-id') && l.status === 200 && l.method === 'GET'));
  });

  test('a JWT secret shorter than 32 bytes stops the server at start with a clear message', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/wce.mjs'), 'serve'], {
      env: { PATH: process.env.PATH, WCE_JWT_SECRET: 'too-short', WCE_PORT: '0' }, encoding: 'utf8',
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /WCE_JWT_SECRET must be at least 32 bytes/);
    assert.doesNotMatch(result.stderr, /too-short|\n\s+at /);
  });

  test('under an older Node the entry point says what to do instead of a stack trace', (t) => {
    const old = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
    const major = Number(/^v(\d+)/.exec(old.stdout ?? '')?.[1]);
    // The machine's own Node is the "older Node" here; where it is new enough there is nothing to show.
    if (!(major < 24)) return t.skip('no Node older than 24 at /usr/bin/node on this machine');
    const result = spawnSync('/usr/bin/node', [path.join(ROOT, 'bin/wce.mjs'), 'serve'], { encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Node\.js >= 24\.10 is required/);
    assert.match(result.stderr, /npm start/);
  });

  test('a port that is taken is reported, not thrown', async () => {
    const first = await spawnServer();
    const port = new URL(first.url).port;
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/wce.mjs'), 'serve'], {
      env: { PATH: process.env.PATH, WCE_PORT: port, WCE_HOST: '127.0.0.1', WCE_DATA_DIR: first.dataDir }, encoding: 'utf8',
    });
    first.child.kill('SIGTERM');
    await first.exited;
    assert.equal(result.status, 1);
    assert.match(result.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
  });

  test('a cenv whose creation a crash cut off is released at start: its name is free again', async () => {
    const dataDir = tempDir();
    const registry = new Registry(registryFile(dataDir));
    await registry.reserve('11111111-2222-4333-8444-555555555555', 'cut');
    registry.close();
    const server = await spawnServer({ WCE_DATA_DIR: dataDir, WCE_LOG_LEVEL: 'warn' });
    try {
      assert.match(server.output(), /removed cenvs whose creation a crash interrupted/);
      const created = await request(`${server.url}/new`, { body: { username: 'ada', password: 'correct horse battery', name: 'cut' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
