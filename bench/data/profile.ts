/**
 * Where a data-engine request's time goes: runs WCE with every process under `--cpu-prof`
 * (the server and its sandbox children, through NODE_OPTIONS), loads one case of the data
 * bench, and prints for each process its busy share by area (package or source file) and its
 * top functions by self time.
 *
 *   npx node bench/data/profile.ts [get|list|create]   # default get
 *
 * BENCH_SECONDS (default 10) sets the load's length; BENCH_KEEP=1 keeps the .cpuprofile files.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort, startServer, ROOT, BENCH_LIMITS } from '../http/processes.ts';
import { measure, formatRow, TABLE_HEAD } from '../http/load.ts';
import { createWorkspace } from '../http/setup.ts';
import { createDataSet } from './dataset.ts';

interface Frame { functionName: string; url: string; lineNumber: number }
interface Profile { nodes: Array<{ id: number; callFrame: Frame }>; samples: number[]; timeDeltas: number[] }

const which = process.argv[2] ?? 'get';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

function area(frame: Frame): string {
  if (!frame.url) return frame.functionName || '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (pkg) return pkg[1];
  if (frame.url.startsWith('node:')) return frame.url.startsWith('node:internal') ? 'node:internal/*' : frame.url;
  return path.relative(ROOT, frame.url.replace(/^file:\/\//, ''));
}

function top(map: Map<string, number>, total: number, count: number): string[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

function analyse(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    all += us;
    const frame = byId.get(id)!;
    if (frame.functionName === '(idle)') return;
    busy += us;
    areas.set(area(frame), (areas.get(area(frame)) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${area(frame)}:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  });
  process.stdout.write(`\n### ${path.basename(file)}: busy ${((busy / all) * 100).toFixed(0)}% of ${(all / 1e6).toFixed(1)} s\n\nBy area (self time, share of busy):\n`);
  process.stdout.write(`${top(areas, busy, 14).join('\n')}\n\nTop functions:\n${top(functions, busy, 18).join('\n')}\n`);
}

const space = createWorkspace();
const profiles = path.join(space.dir, 'profiles');
mkdirSync(profiles);
const port = await freePort();
const wce = await startServer(path.join(ROOT, 'bin/wce.mjs'), port, {
  ...BENCH_LIMITS, WCE_DATA_DIR: space.dataDir, WCE_HOST: '127.0.0.1', WCE_PORT: String(port), WCE_JWT_SECRET: space.secret,
  WCE_LOG_LEVEL: 'warn', NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profiles}`,
}, path.join(space.dir, 'wce.log'), [], ['serve']);
try {
  const data = await createDataSet(wce.url, space.dataDir);
  const sql = {
    get: { sql: 'SELECT id, author, title, body, created FROM posts WHERE id = ?', params: [data.postId] },
    list: { sql: 'SELECT id, title, created FROM posts ORDER BY id DESC LIMIT 20', params: [] },
    create: { sql: 'INSERT INTO posts (author, title, body, created) VALUES (?, ?, ?, ?)', params: [data.user.id, 't', 'b', 'c'] },
  }[which];
  if (!sql) throw new Error(`unknown case ${which}: get, list or create`);
  const figures = await measure({
    url: `${wce.url}/${data.cenvId}/sql`, seconds: SECONDS, connections: 10, method: 'POST', body: JSON.stringify(sql),
    headers: { authorization: `Bearer ${data.user.token}`, 'content-type': 'application/json' },
  });
  process.stdout.write(`${TABLE_HEAD}\n${formatRow(`WCE ${which} under --cpu-prof`, figures)}\n`);
} finally {
  await wce.stop();
}
await new Promise((resolve) => setTimeout(resolve, 500));
for (const file of readdirSync(profiles).sort()) analyse(path.join(profiles, file));
if (process.env.BENCH_KEEP) process.stdout.write(`\nprofiles kept in ${profiles}\n`);
else rmSync(space.dir, { recursive: true, force: true });
