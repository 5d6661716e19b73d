/**
 * Pages benchmark. (1) Serving a cached page: WCE's `GET /{cenv}/pages/` (a 6 KB blog front
 * page) against a bare `node:http` server sending the same bytes and validators, full
 * responses and 304 revalidations (what `Cache-Control: no-cache` makes browsers send);
 * goal: WCE at least 70% of bare. `GET /health` on both, in the same run, shows what any
 * Fastify route costs against bare node:http (the floor a page cannot go below). (2) Commit to refreshed page with 1, 10 and 100 dependent
 * pages, beside the commit's own round trip and one render on request.
 * Prints Markdown for bench/RESULTS.md.
 *
 *   npm run bench -- pages
 *   npx node bench/pages/run.ts
 *
 * Environment: BENCH_SECONDS (per measurement, default 5), BENCH_RUNS (default 2; the best
 * run is kept), BENCH_CONNECTIONS (default 10), BENCH_REPEATS (commits per size, default 7).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { freePort, startServer, startWce, type ServerProcess } from '../http/processes.ts';
import { best, formatRow, LOADER, TABLE_HEAD_CPU, type Load } from '../http/load.ts';
import { machine } from '../http/machine.ts';
import { createWorkspace } from '../http/setup.ts';
import { createSite } from './site.ts';
import { median, refreshBench, renderOnRequestMs } from './refresh.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);

function print(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  print([`Machine: ${machine()}; load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')} (at the end: see below)`,
    `Each serving figure: best of ${RUNS} runs of ${SECONDS} s, ${CONNECTIONS} keep-alive connections; refresh: median of ${REPEATS} commits.`]);
  const space = createWorkspace();
  const wce = await startWce(space, 'warn');
  let bare: ServerProcess | null = null;
  try {
    const site = await createSite(wce.url);
    const file = path.join(space.dir, 'front.html');
    writeFileSync(file, site.front.body);
    const port = await freePort();
    bare = await startServer(path.join(import.meta.dirname, 'bare-server.ts'), port,
      { BARE_PORT: String(port), BARE_FILE: file, BARE_ETAG: site.front.etag, BARE_TYPE: site.front.type }, path.join(space.dir, 'bare.log'));
    const revalidate = { 'if-none-match': site.front.etag };
    const [w, b] = [{ seconds: SECONDS, connections: CONNECTIONS, pid: wce.child.pid }, { seconds: SECONDS, connections: CONNECTIONS, pid: bare.child.pid }];
    const loads: Load[] = [
      { ...w, url: `${wce.url}/health` }, { ...b, url: `${bare.url}/health` },
      { ...w, url: site.front.url }, { ...b, url: `${bare.url}/` },
      { ...w, url: site.front.url, headers: revalidate, expect: 304 }, { ...b, url: `${bare.url}/`, headers: revalidate, expect: 304 },
    ];
    const [wceHealth, bareHealth, wceFull, bareFull, wce304, bare304] = await best(loads, RUNS);
    print([
      `### Serving a cached page (${site.front.body.length} bytes) vs bare node:http sending the same bytes (WCE_LOG_LEVEL=warn, load from ${LOADER})`, '', TABLE_HEAD_CPU,
      formatRow('bare: 200 with the page', bareFull), formatRow('WCE: GET /{cenv}/pages/ (200)', wceFull, bareFull),
      formatRow('bare: 304 (If-None-Match)', bare304), formatRow('WCE: 304 (If-None-Match)', wce304, bare304),
      formatRow('bare: GET /health (the framework floor, for reference)', bareHealth), formatRow('WCE: GET /health', wceHealth, bareHealth),
    ]);
    await bare.stop();
    bare = null;

    const rows = ['| dependent pages | commit → all refreshed, median ms | min | max | per page ms | commit round trip ms |', '|---:|---:|---:|---:|---:|---:|'];
    for (const n of [1, 10, 100]) {
      const f = await refreshBench(wce.url, site, n, REPEATS);
      const m = median(f.refreshMs);
      rows.push(`| ${n} | ${m.toFixed(1)} | ${Math.min(...f.refreshMs).toFixed(1)} | ${Math.max(...f.refreshMs).toFixed(1)} | ${(m / n).toFixed(2)} | ${median(f.commitMs).toFixed(1)} |`);
    }
    const onRequest = await renderOnRequestMs(wce.url, site, REPEATS * 3);
    print(['### Commit to refreshed page', '', ...rows, '',
      `One render on request (preview API, same query and template, nothing stored): ${onRequest.toFixed(1)} ms median.`,
      '', `Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`]);
  } finally {
    await bare?.stop();
    await wce.stop();
    rmSync(space.dir, { recursive: true, force: true });
  }
}

await main();
