/** Cookies read on demand and written as Set-Cookie headers, on a bare Fastify instance. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { installCookies } from './cookies.ts';

async function app() {
  const server = Fastify();
  installCookies(server);
  server.get('/read', async (request) => ({ cookies: { ...request.cookies } }));
  server.get('/write', async (_request, reply) => {
    const expires = new Date('2030-01-02T03:04:05Z');
    reply.setCookie('wce_session', 'tok', { path: '/c1', httpOnly: true, sameSite: 'strict', secure: true, expires });
    reply.setCookie('wce_csrf', 'c', { path: '/c1', sameSite: 'strict', expires });
    reply.clearCookie('old', { path: '/c2' });
    return { ok: true };
  });
  return server;
}

test('cookies: parsed by name, first value wins, quotes and bad percent-encoding kept as sent, no header is no cookies', async () => {
  const server = await app();
  const read = async (cookie?: string) =>
    (await server.inject({ url: '/read', headers: cookie === undefined ? {} : { cookie } })).json().cookies;
  assert.deepEqual(await read('a=1; b=x%20y; a=2; bad=%E0%A4%A; quoted="v"'), { a: '1', b: 'x y', bad: '%E0%A4%A', quoted: '"v"' });
  assert.deepEqual(await read(), {});
  assert.deepEqual(await read('garbage'), {});
});

test('cookies: setCookie and clearCookie each add one Set-Cookie header with the attributes asked for', async () => {
  const server = await app();
  const res = await server.inject({ url: '/write' });
  assert.deepEqual(res.headers['set-cookie'], [
    'wce_session=tok; Path=/c1; Expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Secure; SameSite=Strict',
    'wce_csrf=c; Path=/c1; Expires=Wed, 02 Jan 2030 03:04:05 GMT; SameSite=Strict',
    'old=; Path=/c2; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
  ]);
});
