/**
 * `npm run bench -- ui`: the web UI's bundle sizes per page (goal: pages without an editor
 * under 100 KB of compressed JavaScript) and the console's time to first interaction on
 * localhost (goal: editor focused and results area ready within 1.5 s of navigation),
 * beside the login page's, the smallest page, measured the same way in the same run.
 * Prints Markdown for bench/RESULTS.md.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadavg } from 'node:os';
import { machine } from '../http/machine.ts';
import { createCenv, login, request, bearer, startServer } from '../../test/helpers/server.ts';
import { WEB_DIST } from '../../src/server/ui/shells.ts';
import { pageSizes, sum } from './sizes.ts';
import { launch, median, timePage } from './tti.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const KB = (bytes: number) => (bytes / 1024).toFixed(1);

if (!existsSync(path.join(WEB_DIST, 'console.html'))) {
  process.stderr.write('web/dist is missing: run `npm run build:web` first\n');
  process.exit(1);
}

console.log(`Machine: ${machine()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start.\n`);
console.log('### Bundle sizes (what a first visit downloads; brotli, as Chromium receives it)\n');
console.log('| page | JS br KB | JS gzip KB | JS raw KB | CSS br KB | loaded later br KB | under 100 KB JS? |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const p of pageSizes()) {
  const editor = ['console', 'scripts', 'templates'].includes(p.page);
  const verdict = editor ? 'editor page (no budget)' : sum(p.js, 'br') < 100 * 1024 ? 'yes' : '**no**';
  console.log(`| ${p.page} | ${KB(sum(p.js, 'br'))} | ${KB(sum(p.js, 'gz'))} | ${KB(sum(p.js, 'raw'))} | ${KB(sum(p.css, 'br'))} | ${p.later.length ? `${KB(sum(p.later, 'br'))} (${p.later.map((a) => path.basename(a.file).replace(/-[\w-]{8}\./, '.')).join(', ')})` : '–'} | ${verdict} |`);
}

const server = await startServer({ env: { WCE_LOG_LEVEL: 'warn' } });
const browser = await launch();
try {
  const cenv = await createCenv(server.url, { name: 'bench' });
  const owner = await login(server.url, 'bench', cenv.username, cenv.password);
  await request(`${server.url}/bench/sql`, { body: { sql: 'CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, body TEXT)' }, headers: bearer(owner.token) });
  const cookies = owner.cookie.split('; ').map((pair) => {
    const [name, value] = pair.split('=');
    return { name, value, domain: '127.0.0.1', path: '/bench', sameSite: 'Strict' as const };
  });
  const consoleTimes = await timePage(browser, server.url, '/bench/console', cookies, 'mark', RUNS);
  const loginTimes = await timePage(browser, server.url, '/bench/login', [], '#password', RUNS);
  const dashTimes = await timePage(browser, server.url, '/bench/dashboard', cookies, '.kv', RUNS);
  console.log(`\n### Time to first interaction (ms from navigation start; median of ${RUNS}, best in brackets)\n`);
  console.log('| page | ready when | cold | warm (reload) |');
  console.log('|---|---|---:|---:|');
  const row = (name: string, when: string, t: { cold: number[]; warm: number[] }) =>
    console.log(`| ${name} | ${when} | ${median(t.cold).toFixed(0)} (${Math.min(...t.cold).toFixed(0)}) | ${median(t.warm).toFixed(0)} (${Math.min(...t.warm).toFixed(0)}) |`);
  row('console', 'editor focused, results area shown', consoleTimes);
  row('login (baseline: the smallest page)', 'password field in the DOM', loginTimes);
  row('dashboard', 'overview loaded from the API', dashTimes);
  console.log(`\nGoal: console within 1500 ms: ${median(consoleTimes.cold) < 1500 ? 'met' : '**missed**'} (cold median). Load average at the end: ${loadavg()[0].toFixed(1)}.`);
} finally {
  await browser.close();
  await server.close();
}
