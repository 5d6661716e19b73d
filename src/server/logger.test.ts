/** The server logger and its access-line twin: one destination, one level, redaction where fields are free-form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { accessLogger, createLogger } from './logger.ts';

function capture(level: string) {
  const out = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  out.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));
  const log = createLogger(level, out);
  return { log, lines, flush: () => new Promise((resolve) => setImmediate(resolve)) };
}

test('logger: the access logger writes to the same destination, in order, at the same level', async () => {
  const { log, lines, flush } = capture('info');
  const access = accessLogger(log);
  assert.notEqual(access, log);
  log.info({ a: 1 }, 'first');
  access.info({ reqId: 'r-1', status: 200 }, 'request');
  access.debug('below the level');
  log.info('third');
  await flush();
  assert.deepEqual(lines.map((l) => l.msg), ['first', 'request', 'third']);
  assert.equal(lines[1].reqId, 'r-1');
});

test('logger: credentials in free-form fields are redacted by the server logger', async () => {
  const { log, lines, flush } = capture('info');
  log.info({ user: { password: 'hunter2', token: 'abc' }, req: { headers: { authorization: 'Bearer x', cookie: 'wce_session=y' } } }, 'details');
  await flush();
  const text = JSON.stringify(lines);
  for (const secret of ['hunter2', 'abc', 'Bearer x', 'wce_session=y']) assert.ok(!text.includes(secret), secret);
});

test('logger: a logger made elsewhere is its own access logger', () => {
  const { log } = capture('info');
  const child = log.child({ x: 1 });
  assert.equal(accessLogger(child), child);
});
