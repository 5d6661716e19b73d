/**
 * Runs one benchmark program under our interpreter in a fresh process and
 * prints one JSON line: { ms, output, maxRssKb }. Used by run.ts.
 */
import { readFileSync } from 'node:fs';
import { runModule } from '../../src/starlark/index.ts';
import { json } from '../../src/starlark/lib/json.ts';

const file = process.argv[2]!;
const source = readFileSync(file, 'utf8');
const output: string[] = [];
const start = performance.now();
runModule(source, { filename: file, predeclared: { json }, print: (msg) => output.push(msg) });
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, output: output.join('\n'), maxRssKb: process.resourceUsage().maxRSS }) + '\n');
