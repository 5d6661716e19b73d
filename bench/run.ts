/**
 * `npm run bench`: runs every `bench/<name>/run.ts`, one after another (benches running
 * side by side would measure each other). `bench/starlark` is left out: it has its own
 * `npm run bench:starlark`.
 *
 *   npm run bench              # all of them
 *   npm run bench -- http data # only these
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const SKIPPED = new Set(['starlark']);
const here = import.meta.dirname;
const only = process.argv.slice(2);

const benches = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !SKIPPED.has(entry.name) && existsSync(path.join(here, entry.name, 'run.ts')))
  .map((entry) => entry.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

if (benches.length === 0) {
  process.stderr.write(`no bench found${only.length ? ` named ${only.join(', ')}` : ''}\n`);
  process.exit(1);
}

let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n## bench/${name}\n\n`);
  const result = spawnSync(process.execPath, [path.join(here, name, 'run.ts')], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`bench/${name} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exit(failed ? 1 : 0);
