/** The per-request logger: no child until a line is kept, and then the child's own lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { createLogger } from './logger.ts';
import { requestLogger } from './request-logger.ts';

function setup(level: string) {
  const out = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  out.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));
  const root = createLogger(level, out);
  let children = 0;
  const counted = Object.create(root, { child: { value: (...a: Parameters<typeof root.child>) => { children++; return root.child(...a); } } }) as FastifyBaseLogger;
  const log = requestLogger(counted, { reqId: 'r-1' }, {});
  return { log, lines, children: () => children, flush: () => new Promise((r) => setImmediate(r)) };
}

test('request logger: a line below the level makes no child and writes nothing', async () => {
  const { log, lines, children, flush } = setup('warn');
  log.info({ a: 1 }, 'dropped');
  log.debug('dropped too');
  await flush();
  assert.equal(children(), 0);
  assert.deepEqual(lines, []);
  assert.equal(log.level, 'warn');
});

test('request logger: a kept line is the child line, request id first, credentials redacted', async () => {
  const { log, lines, children, flush } = setup('info');
  log.info({ status: 200, auth: { token: 'secret' } }, 'request');
  log.warn('again');
  await flush();
  assert.equal(children(), 1, 'one child, made once');
  assert.equal(lines.length, 2);
  assert.deepEqual(Object.keys(lines[0]).slice(3, 5), ['hostname', 'reqId'], 'the id comes before the fields, as with a pino child');
  assert.equal(lines[0].reqId, 'r-1');
  assert.equal(lines[0].status, 200);
  assert.deepEqual(lines[0].auth, { token: '[redacted]' });
  assert.equal(lines[1].msg, 'again');
});

test('request logger: raising its level and making children of it act on the real child', async () => {
  const { log, lines, flush } = setup('warn');
  log.level = 'debug';
  log.debug('now kept');
  log.child({ part: 'x' }).info('from a grandchild');
  await flush();
  assert.deepEqual(lines.map((l) => [l.msg, l.reqId]), [['now kept', 'r-1'], ['from a grandchild', 'r-1']]);
  assert.equal(lines[1].part, 'x');
});
