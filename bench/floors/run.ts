/**
 * `npm run bench -- floors`: what the speed goals of issues 8, 9 and 10 (a share of a bare
 * `node:http` server's requests/s) leave for WCE's own work. Each server of servers.ts adds
 * one thing WCE cannot drop — its security headers, a framework (Fastify), the hop to a
 * sandbox child that tenant code requires — to the bare server, and does nothing else. Their
 * ratios to bare are ceilings: WCE does all of these and more, so it cannot beat them.
 *
 * Prints requests/s, server CPU per request and the ratio to bare, for `POST /sql` (the data
 * bench's get-one-by-id, 32 connections), `GET /hello` (the endpoints bench's hello world, 10)
 * and `GET /page` (a cached page's bytes, as the pages bench serves them, 10).
 * BENCH_SECONDS (default 5), BENCH_RUNS (default 3).
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { freePort, startServer, type ServerProcess } from '../http/processes.ts';
import { best, formatRow, LOADER, TABLE_HEAD_CPU, type Figures } from '../http/load.ts';
import { machine } from '../http/machine.ts';
import { createWorkspace } from '../http/setup.ts';
import { DatabaseSync } from 'node:sqlite';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const MODES = {
  bare: 'bare node:http',
  headers: "node:http + WCE's security headers",
  fastify: 'Fastify + the same headers (one hook)',
  hop: 'node:http, answered by a child process over IPC',
  'fastify-hop': 'Fastify + the headers, answered by a child process',
} as const;
type Mode = keyof typeof MODES;

const GET_ONE = JSON.stringify({ sql: 'SELECT id, author, title, body, created FROM posts WHERE id = ?', params: [4242] });

const CASES: Array<{ path: string; what: string; modes: Mode[]; connections: number; body?: string }> = [
  { path: '/sql', what: 'POST /sql (one post by id; the API header set)', modes: ['bare', 'headers', 'fastify', 'hop', 'fastify-hop'], connections: 32, body: GET_ONE },
  { path: '/hello', what: 'GET /hello ("hello"; the tenant header set)', modes: ['bare', 'headers', 'fastify', 'hop', 'fastify-hop'], connections: 10 },
  { path: '/page', what: 'GET /page (7.7 kB of HTML with an ETag; the tenant header set)', modes: ['bare', 'headers', 'fastify'], connections: 10 },
];

/** 10,000 posts shaped as the data bench's (bench/data/dataset.ts). */
function createDb(file: string): void {
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = WAL; CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, created TEXT NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
    INSERT INTO posts SELECT i, 'user' || (i % 500), 'Post number ' || i, replace(printf('%.8c', '-'), '-', 'Body of post ' || i || '. '),
      strftime('%Y-%m-%dT%H:%M:%fZ', 1.7e9 + i * 60, 'unixepoch') FROM n`);
  db.close();
}

async function main(): Promise<void> {
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`Machine: ${machine()}; load average before: ${load()}\n` +
    `Each figure: best of ${RUNS} runs of ${SECONDS} s, keep-alive connections (${LOADER}), the servers taking turns.\n\n`);
  const space = createWorkspace();
  const dbFile = path.join(space.dir, 'floors.db');
  createDb(dbFile);
  const servers = new Map<Mode, ServerProcess>();
  try {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const port = await freePort();
      servers.set(mode, await startServer(path.join(import.meta.dirname, 'servers.ts'), port,
        { FLOOR_PORT: String(port), FLOOR_MODE: mode, FLOOR_DB: dbFile }, path.join(space.dir, `${mode}.log`)));
    }
    const ceilings: string[] = [];
    for (const c of CASES) {
      const request = c.body ? { method: 'POST', body: c.body, headers: { 'content-type': 'application/json' } } : {};
      const loads = c.modes.map((mode) => ({ url: `${servers.get(mode)!.url}${c.path}`, seconds: SECONDS, connections: c.connections, pid: servers.get(mode)!.child.pid, ...request }));
      const figures = await best(loads, RUNS);
      const bare = figures[0];
      const rows = c.modes.map((mode, i) => formatRow(MODES[mode], figures[i], i === 0 ? undefined : bare));
      process.stdout.write(`### ${c.what}, ${c.connections} connections\n\n${TABLE_HEAD_CPU}\n${rows.join('\n')}\n\n`);
      for (const [i, mode] of c.modes.entries()) if (i > 0) ceilings.push(`${c.path}, ${MODES[mode]}: ${share(figures[i], bare)}`);
    }
    process.stdout.write(`Shares of bare (requests/s; CPU per request):\n${ceilings.map((l) => `- ${l}`).join('\n')}\n\nLoad average after: ${load()}\n`);
  } finally {
    for (const server of servers.values()) await server.stop();
    rmSync(space.dir, { recursive: true, force: true });
  }
}

function share(figures: Figures, bare: Figures): string {
  const cpu = bare.cpuUs !== undefined && figures.cpuUs ? `; ${((bare.cpuUs / figures.cpuUs) * 100).toFixed(0)}% by CPU` : '';
  return `${((figures.rps / bare.rps) * 100).toFixed(0)}%${cpu}`;
}

await main();
