/**
 * Where the server's time goes on one request: runs WCE or the bare server
 * under `--cpu-prof`, loads one endpoint, then prints the profile's self time by area
 * (package or source folder), the top functions by self time and WCE's own functions by
 * inclusive time.
 *
 *   npx node bench/http/profile.ts                 # WCE, GET /{cenv}/sessions with a bearer token
 *   npx node bench/http/profile.ts health          # WCE, GET /health
 *   npx node bench/http/profile.ts sessions bare   # the bare server, for comparison
 *
 * BENCH_SECONDS (default 10) sets the load's length; BENCH_LOG_LEVEL (default warn) WCE's
 * log level; BENCH_KEEP=1 keeps the .cpuprofile
 * (open it in Chrome DevTools) and prints where it is.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startBare, startWce, ROOT } from './processes.ts';
import { measure, formatRow, TABLE_HEAD } from './load.ts';
import { createFixture, createWorkspace } from './setup.ts';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const target = process.argv[2] ?? 'sessions';
const server = process.argv[3] ?? 'wce';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** `src/auth/tokens.ts`, `jose`, `node:internal`, or a V8 pseudo-frame such as `(garbage collector)`. */
function area(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName || '(anonymous native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal/*' : url;
  const file = url.replace(/^file:\/\//, '');
  return file.startsWith(ROOT) ? path.relative(ROOT, file) : file;
}

function label(frame: ProfileNode['callFrame']): string {
  const where = frame.url ? ` ${area(frame)}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

function top(map: Map<string, number>, total: number, count: number, filter: (key: string) => boolean = () => true): string[] {
  return [...map].filter(([key]) => filter(key)).sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([key, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

function analyse(profile: Profile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return;
    total += us;
    self.set(label(frame), (self.get(label(frame)) ?? 0) + us);
    areas.set(area(frame), (areas.get(area(frame)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(label(byId.get(at)!.callFrame));
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  });
  const out = [
    `Busy (non-idle) CPU time sampled: ${(total / 1e6).toFixed(1)} s`, '',
    'Self time by area:', ...top(areas, total, 20), '',
    'Top functions by self time:', ...top(self, total, 30), '',
    "WCE's own functions (src/) by inclusive time:", ...top(inclusive, total, 25, (key) => key.includes(' src/')),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main(): Promise<void> {
  const space = createWorkspace();
  const profileDir = path.join(space.dir, 'prof');
  const profiling = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  // The bare server serves a cenv that WCE created, so WCE runs in both cases.
  const wce = await startWce(space, process.env.BENCH_LOG_LEVEL ?? 'warn', server === 'wce' ? profiling : []);
  try {
    const { listed } = await createFixture(wce.url);
    const measured = server === 'wce' ? wce : await startBare(space, listed.id, profiling);
    const load = target === 'health'
      ? { url: `${measured.url}/health`, seconds: SECONDS, connections: 10 }
      : { url: `${measured.url}/${listed.id}/sessions`, seconds: SECONDS, connections: 10, headers: { authorization: `Bearer ${listed.token}` } };
    const figures = await measure(load);
    await measured.stop();
    process.stdout.write(`${TABLE_HEAD}\n${formatRow(`${server} ${target} under --cpu-prof`, figures)}\n\n`);
  } finally {
    await wce.stop();
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written to ${profileDir}`);
  analyse(JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as Profile);
  if (process.env.BENCH_KEEP) process.stdout.write(`\nProfile kept: ${path.join(profileDir, file)}\n`);
  else rmSync(space.dir, { recursive: true, force: true });
}

await main();
