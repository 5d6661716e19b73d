/**
 * Starlark benchmark suite: runs every bench/starlark/programs/*.star under
 * our interpreter and under python3 (each run in a fresh process, best of N),
 * checks both print the same result, and reports time, speed ratio and peak
 * memory. `--write` replaces the "## Starlark" section of bench/RESULTS.md.
 *
 *   npm run bench:starlark [-- --runs 3] [-- --write] [-- fib_loop]
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Sample {
  ms: number;
  output: string;
  maxRssKb: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const runsArg = argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 3;
const write = argv.includes('--write');
const only = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs');

function sample(cmd: string, args: string[]): Sample {
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

/** Best time of `runs` fresh-process runs; memory is the largest peak seen. */
function best(cmd: string, args: string[]): Sample {
  let b: Sample | null = null;
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const s = sample(cmd, args);
    rss = Math.max(rss, s.maxRssKb);
    if (b === null || s.ms < b.ms) b = s;
  }
  return { ...b!, maxRssKb: rss };
}

const programs = readdirSync(join(here, 'programs'))
  .filter((f) => f.endsWith('.star') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
const rows: string[] = [];
const ratios: number[] = [];
for (const p of programs) {
  const file = join(here, 'programs', p);
  const ours = best(process.execPath, [join(here, 'child.ts'), file]);
  const py = best('python3', [join(here, 'child.py'), file]);
  if (ours.output !== py.output) {
    console.error(`${p}: output differs: starlark=${ours.output} python=${py.output}`);
    process.exitCode = 1;
  }
  const ratio = py.ms / ours.ms;
  ratios.push(ratio);
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  const row = `| ${basename(p, '.star')} | ${ours.ms.toFixed(0)} | ${py.ms.toFixed(0)} | ${ratio.toFixed(2)}x | ${mb(ours.maxRssKb)} | ${mb(py.maxRssKb)} |`;
  rows.push(row);
  console.log(row);
}
const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
const pyVersion = execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
const table = [
  `Date: ${new Date().toISOString().slice(0, 10)}. Machine: ${cpus().length} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}.`,
  `Node ${process.version} vs ${pyVersion}; best of ${runs} fresh-process runs; time excludes process start-up but includes parsing/compiling.`,
  'Ratio = CPython time / our time (above 1 means we are faster). Peak RSS is the whole process.',
  '',
  '| program | starlark ms | cpython ms | ratio | starlark peak MB | cpython peak MB |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  `Geometric mean ratio: ${geo.toFixed(2)}x`,
].join('\n');
console.log(`\ngeometric mean ratio (cpython/ours): ${geo.toFixed(2)}x`);

if (write) {
  const path = join(here, '..', 'RESULTS.md');
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const section = `## Starlark\n\nCommand: \`npm run bench:starlark\`\n\n${table}\n`;
  const re = /## Starlark\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(path, re.test(old) ? old.replace(re, section) : old.trimEnd() + '\n\n' + section);
  console.log(`wrote ${path}`);
}
