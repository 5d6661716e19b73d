/**
 * `npm run bench -- floors`: what the speed goals of issues 8, 9 and 10 (a share of a bare
 * `node:http` server's requests/s) leave for WCE's own work. Each server of servers.ts adds
 * one thing WCE cannot drop — its security headers, a framework (Fastify), the hop to a
 * sandbox child that tenant code requires — to the bare server, and does nothing else. Their
 * ratios to bare are ceilings: WCE does all of these and more, so it cannot beat them.
 *
 * Prints requests/s, server CPU per request and the ratio to bare, for `GET /hello` (the
 * endpoints bench's hello world) and `GET /page` (a cached page's bytes, as the pages bench
 * serves them). BENCH_SECONDS (default 5), BENCH_RUNS (default 3), BENCH_CONNECTIONS (10).
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { freePort, startServer, type ServerProcess } from '../http/processes.ts';
import { best, formatRow, LOADER, TABLE_HEAD_CPU, type Figures } from '../http/load.ts';
import { machine } from '../http/machine.ts';
import { createWorkspace } from '../http/setup.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const MODES = {
  bare: 'bare node:http',
  headers: "node:http + WCE's tenant security headers",
  fastify: 'Fastify + the same headers (one hook)',
  hop: 'node:http, answered by a child process over IPC',
  'fastify-hop': 'Fastify + the headers, answered by a child process',
} as const;
type Mode = keyof typeof MODES;

const CASES: Array<{ path: string; what: string; modes: Mode[] }> = [
  { path: '/hello', what: 'GET /hello ("hello")', modes: ['bare', 'headers', 'fastify', 'hop', 'fastify-hop'] },
  { path: '/page', what: 'GET /page (7.7 kB of HTML with an ETag)', modes: ['bare', 'headers', 'fastify'] },
];

async function main(): Promise<void> {
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`Machine: ${machine()}; load average before: ${load()}\n` +
    `Each figure: best of ${RUNS} runs of ${SECONDS} s, ${CONNECTIONS} keep-alive connections (${LOADER}), the servers taking turns.\n\n`);
  const space = createWorkspace();
  const servers = new Map<Mode, ServerProcess>();
  try {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const port = await freePort();
      servers.set(mode, await startServer(path.join(import.meta.dirname, 'servers.ts'), port,
        { FLOOR_PORT: String(port), FLOOR_MODE: mode }, path.join(space.dir, `${mode}.log`)));
    }
    const ceilings: string[] = [];
    for (const c of CASES) {
      const loads = c.modes.map((mode) => ({ url: `${servers.get(mode)!.url}${c.path}`, seconds: SECONDS, connections: CONNECTIONS, pid: servers.get(mode)!.child.pid }));
      const figures = await best(loads, RUNS);
      const bare = figures[0];
      const rows = c.modes.map((mode, i) => formatRow(MODES[mode], figures[i], i === 0 ? undefined : bare));
      process.stdout.write(`### ${c.what}\n\n${TABLE_HEAD_CPU}\n${rows.join('\n')}\n\n`);
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
