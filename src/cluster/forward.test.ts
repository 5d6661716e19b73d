import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { Forwarder } from './forward.ts';
import { HOP_HEADER, verifyHop } from './hop.ts';

const key = randomBytes(32);

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

describe('forwarding to the owning node', () => {
  let owner: FastifyInstance;
  let front: FastifyInstance;
  let ownerUrl: string;
  let frontUrl: string;
  let target: { node: string; url: string };
  let upstreamClosed = false;
  const forwarder = new Forwarder(key, 'front-node');

  before(async () => {
    owner = Fastify();
    owner.post('/c/echo', async (request) => ({
      headers: request.headers, body: request.body,
      hop: verifyHop(key, request.method, request.url, request.headers[HOP_HEADER]),
    }));
    owner.get('/c/stream', (request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.raw.write('data: first\n\n');
      const timer = setTimeout(() => reply.raw.end('data: last\n\n'), 1500);
      reply.raw.on('close', () => { clearTimeout(timer); upstreamClosed = true; });
    });
    owner.get('/c/hang', () => new Promise(() => { /* never answers */ }));
    ownerUrl = await listen(owner);
    target = { node: 'owner-node', url: ownerUrl };
    front = Fastify();
    front.addHook('onRequest', (request, reply, done) => {
      const down = request.url.startsWith('/down');
      forwarder.forward(request, reply, down ? { node: 'gone', url: 'http://127.0.0.1:9' } : target);
      done();
    });
    front.all('/*', async () => 'not forwarded');
    frontUrl = await listen(front);
  });
  after(async () => {
    forwarder.close();
    await front.close();
    await owner.close();
  });

  test('the request arrives as the client sent it, with a signed hop instead of any the client sent', async () => {
    const res = await fetch(`${frontUrl}/c/echo`, {
      method: 'POST', body: JSON.stringify({ a: 1 }),
      headers: { 'content-type': 'application/json', authorization: 'Bearer t0k', cookie: 'wce_session=s', 'x-csrf-token': 'c', [HOP_HEADER]: 'v1.forged.sig' },
    });
    assert.equal(res.status, 200);
    const seen = await res.json() as { headers: Record<string, string>; body: unknown; hop: { node: string; ip: string; host: string } };
    assert.deepEqual(seen.body, { a: 1 });
    assert.equal(seen.headers.authorization, 'Bearer t0k');
    assert.equal(seen.headers.cookie, 'wce_session=s');
    assert.equal(seen.headers['x-csrf-token'], 'c');
    assert.equal(seen.hop.node, 'front-node');
    assert.equal(seen.hop.ip, '127.0.0.1');
    assert.equal(seen.hop.host, new URL(frontUrl).host, 'the host the client asked for');
  });

  test('answers stream through (event streams arrive as they are written)', async () => {
    const started = Date.now();
    const res = await fetch(`${frontUrl}/c/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.match(Buffer.from(first.value!).toString(), /first/);
    assert.ok(Date.now() - started < 1400, 'the first event came before the stream ended');
    await reader.cancel();
    for (let i = 0; i < 20 && !upstreamClosed; i++) await sleep(50);
    assert.ok(upstreamClosed, 'a client that leaves closes the upstream request too');
  });

  test('an owner that cannot be reached, or that leaves the cluster, is a 503 to retry', async () => {
    const down = await fetch(`${frontUrl}/down/x`);
    assert.equal(down.status, 503);
    assert.equal(down.headers.get('retry-after'), '2');
    assert.equal(down.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await down.json() as { error: { code: string } }).error.code, 'WCE_ERR_UNAVAILABLE');
    const hanging = fetch(`${frontUrl}/c/hang`);
    await sleep(200);
    forwarder.nodeLeft('owner-node');
    const res = await hanging;
    assert.equal(res.status, 503);
    assert.match((await res.json() as { error: { message: string } }).error.message, /left the cluster/);
  });
});
