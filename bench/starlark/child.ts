/**
 * Runs one benchmark program under our interpreter in a fresh process and
 * prints one JSON line: { ms, cpuMs, warmMs, output, maxRssKb, fileRssKb }, where warmMs
 * times a second run in the same process and fileRssKb is the resident file-backed memory
 * at exit (mostly the node executable's code; null off Linux). Used by run.ts, which runs
 * it bundled to plain JS (bundle.ts).
 */
import { readFileSync } from 'node:fs';
import { runModule } from '../../src/starlark/index.ts';
import { json } from '../../src/starlark/lib/json.ts';

const file = process.argv[2]!;
const source = readFileSync(file, 'utf8');
const output: string[] = [];
const cpu0 = process.cpuUsage();
const start = performance.now();
runModule(source, { filename: file, predeclared: { json }, print: (msg) => output.push(msg) });
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
// A second run in the same process: the runtime is then JIT-compiled, as in a long-running server.
const warmStart = performance.now();
runModule(source, { filename: file, predeclared: { json }, print: () => {} });
const warmMs = performance.now() - warmStart;

function fileRssKb(): number | null {
  try {
    const match = /^RssFile:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // not Linux
  }
}
const memory = { maxRssKb: process.resourceUsage().maxRSS, fileRssKb: fileRssKb() };
process.stdout.write(JSON.stringify({ ms, cpuMs, warmMs, output: output.join('\n'), ...memory }) + '\n');
