/**
 * Load generation with wrk (C, multi-threaded) when it is installed (`apt-get install wrk`):
 * it takes far less CPU than a JavaScript load generator, which matters on a 2-core machine
 * where the generator competes with the servers it measures. The request (method, headers,
 * body) goes in a small Lua script; the figures come from wrk's --latency report.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Figures, Load } from './load.ts';

/** True when a wrk binary answers on this machine. */
export const WRK_AVAILABLE = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its banner; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
})();

function lua(load: Load): string {
  const quote = (text: string) => JSON.stringify(text);
  const headers = Object.entries(load.headers ?? {}).map(([k, v]) => `wrk.headers[${quote(k)}] = ${quote(v)}`).join('\n');
  const targets = (load.targets ?? []).map((t) => `{ path = ${quote(t.path)}, headers = { ${Object.entries(t.headers).map(([k, v]) => `[${quote(k)}] = ${quote(v)}`).join(', ')} } }`);
  const rotate = targets.length === 0 ? '' : `local targets = { ${targets.join(', ')} }
local turn = 0
request = function()
  turn = turn % #targets + 1
  for k, v in pairs(targets[turn].headers) do wrk.headers[k] = v end
  return wrk.format(nil, targets[turn].path)
end
`;
  return `wrk.method = ${quote(load.method ?? 'GET')}\n${headers}\n${load.body !== undefined ? `wrk.body = ${quote(load.body)}` : ''}
${rotate}done = function(summary, latency, requests)
  io.write(string.format("WCEFIG %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
`;
}

function parse(output: string): Figures {
  const line = /WCEFIG (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(output);
  if (!line) throw new Error(`wrk printed no figures:\n${output}`);
  const [requests, durationUs, p50, p99, max, errors, badStatus] = line.slice(1).map(Number);
  return { rps: (requests - badStatus) / (durationUs / 1e6), p50: p50 / 1000, p99: p99 / 1000, max: max / 1000, failures: errors + badStatus };
}

/**
 * Runs wrk (2 threads) against `load` and returns its figures.
 * @example await measureWrk({ url, seconds: 5, connections: 32, method: 'POST', body: '{}' })
 */
export async function measureWrk(load: Load): Promise<Figures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wce-wrk-'));
  try {
    const script = path.join(dir, 'load.lua');
    writeFileSync(script, lua(load));
    const threads = Math.min(2, load.connections);
    const child = spawn('wrk', ['-t', String(threads), '-c', String(load.connections), '-d', `${load.seconds}s`, '--latency', '-s', script, load.url]);
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`wrk exited with ${code}:\n${output}`);
    return parse(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
