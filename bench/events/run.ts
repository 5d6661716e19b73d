/**
 * Event-stream fan-out: N subscribers (anonymous, one principal group; and signed-in users,
 * one group each) on one cenv, one committed insert, and the time until the last subscriber
 * has its `change` event; plus the server's memory per idle subscriber (resident set size of
 * the server process with the streams open, against before). Baseline in the same run: the
 * time to write one small SSE frame to N sockets from a bare node:http server.
 *
 *   npm run bench -- events          # N = 1000
 *   BENCH_SUBSCRIBERS=200 npx node bench/events/run.ts
 */
import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { startWce } from '../http/processes.ts';
import { createWorkspace } from '../http/setup.ts';
import { machine } from '../http/machine.ts';
import { createCenv, login, request, bearer } from '../../test/helpers/server.ts';

const N = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const USERS = Number(process.env.BENCH_USERS ?? 50);

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/** Opens a raw SSE subscription; resolves once the headers are in, calls `onChange` at the first change event. */
function subscribe(port: number, path: string, headers: string, onChange: () => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`));
    let text = '';
    let ready = false;
    let changed = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!ready && text.includes('event: ready')) { ready = true; resolve(socket); }
      if (!changed && text.includes('event: change')) { changed = true; onChange(); }
      if (text.length > 4096) text = text.slice(-1024);
    });
    socket.on('error', reject);
  });
}

async function fanout(port: number, paths: Array<{ path: string; headers: string }>, commit: () => Promise<void>): Promise<{ lastMs: number; medianMs: number; sockets: Socket[] }> {
  const arrivals: number[] = [];
  let started = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => { resolveAll = resolve; });
  const sockets: Socket[] = [];
  for (let i = 0; i < paths.length; i += 50) {
    sockets.push(...await Promise.all(paths.slice(i, i + 50).map((p) => subscribe(port, p.path, p.headers, () => {
      arrivals.push(performance.now() - started);
      if (arrivals.length === paths.length) resolveAll();
    }))));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  started = performance.now();
  await commit();
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  arrivals.sort((a, b) => a - b);
  return { lastMs: arrivals.at(-1) ?? Number.NaN, medianMs: arrivals[Math.floor(arrivals.length / 2)] ?? Number.NaN, sockets };
}

async function bareBaseline(n: number): Promise<number> {
  const responses: import('node:http').ServerResponse[] = [];
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('event: ready\ndata: {}\n\n');
    responses.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const { lastMs, sockets } = await fanout(port, Array.from({ length: n }, () => ({ path: '/', headers: '' })), async () => {
    for (const res of responses) res.write(`event: change\ndata: ${JSON.stringify({ table: 'posts', op: 'insert', key: [1], row: { id: 1, title: 'hello' } })}\n\n`);
  });
  for (const socket of sockets) socket.destroy();
  server.closeAllConnections();
  server.close();
  return lastMs;
}

async function main(): Promise<void> {
  process.stdout.write(`Machine: ${machine()}\n\n`);
  const space = createWorkspace();
  process.env.WCE_EVENTS_MAX_SUBSCRIBERS_PER_USER = String(N);
  process.env.WCE_EVENTS_MAX_SUBSCRIBERS_PER_CENV = String(N + USERS);
  const wce = await startWce(space, 'warn');
  try {
    const port = Number(new URL(wce.url).port);
    const cenv = await createCenv(wce.url, { username: 'owner' });
    const owner = await login(wce.url, cenv.id, 'owner', cenv.password);
    const sql = (text: string, params: unknown[] = []) => request(`${wce.url}/${cenv.id}/sql`, { body: { sql: text, params }, headers: bearer(owner.token) });
    await sql('CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT, title TEXT)');
    await request(`${wce.url}/${cenv.id}/admin/permissions`, { body: { table: 'posts', role: 'anonymous', operations: ['select'] }, headers: bearer(owner.token) });
    await request(`${wce.url}/${cenv.id}/admin/permissions`, { body: { table: 'posts', role: 'user', operations: ['select'] }, headers: bearer(owner.token) });
    const pid = wce.child.pid!;
    const before = rssKb(pid);
    const anonymous = await fanout(port, Array.from({ length: N }, () => ({ path: `/${cenv.id}/events?tables=posts`, headers: '' })), async () => {
      await sql("INSERT INTO posts (id, author, title) VALUES (1, 'x', 'hello')");
    });
    const perSubscriberKb = (rssKb(pid) - before) / N;
    for (const socket of anonymous.sockets) socket.destroy();
    const tokens: string[] = [];
    for (let i = 0; i < USERS; i++) {
      await request(`${wce.url}/${cenv.id}/admin/users`, { body: { username: `u${i}`, password: 'long enough pw', role: 'user' }, headers: bearer(owner.token) });
      tokens.push((await login(wce.url, cenv.id, `u${i}`, 'long enough pw')).token);
    }
    const users = await fanout(port, tokens.map((token) => ({ path: `/${cenv.id}/events?tables=posts`, headers: `Authorization: Bearer ${token}\r\n` })), async () => {
      await sql("INSERT INTO posts (id, author, title) VALUES (2, 'x', 'again')");
    });
    for (const socket of users.sockets) socket.destroy();
    const bare = await bareBaseline(N);
    process.stdout.write([
      `| case | subscribers | median ms | last subscriber ms |`,
      `|---|---:|---:|---:|`,
      `| bare node:http writes one frame to each | ${N} | | ${bare.toFixed(1)} |`,
      `| WCE, anonymous (one principal group) | ${N} | ${anonymous.medianMs.toFixed(1)} | ${anonymous.lastMs.toFixed(1)} |`,
      `| WCE, signed-in users (a group each) | ${USERS} | ${users.medianMs.toFixed(1)} | ${users.lastMs.toFixed(1)} |`,
      '',
      `Server memory per idle subscriber: ${perSubscriberKb.toFixed(1)} KB (RSS of the server process with ${N} streams open, minus before).`,
      '',
    ].join('\n'));
  } finally {
    await wce.stop();
    rmSync(space.dir, { recursive: true, force: true });
  }
}

await main();
