/**
 * Load generation and the figures the bench prints. Throughput runs use wrk when it is
 * installed (bench/http/wrk.ts: far less CPU than a JavaScript generator on a 2-core
 * machine), else autocannon (keep-alive connections, no pipelining); fixed-rate probes always
 * use autocannon. `BENCH_LOADER=autocannon` forces it. Autocannon's latencies of 2xx
 * responses (or of the `expect`ed status, e.g. 304) go into our own microsecond histogram:
 * its own is in whole milliseconds.
 */
import autocannon from 'autocannon';
import { createHistogram } from 'node:perf_hooks';
import { measureWrk, WRK_AVAILABLE } from './wrk.ts';
import { ownCpuMs, treeCpuMs } from './cpu.ts';

/** Which generator throughput runs use. */
export const LOADER = WRK_AVAILABLE && process.env.BENCH_LOADER !== 'autocannon' ? 'wrk' : 'autocannon';

export interface Load {
  url: string;
  seconds: number;
  connections: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Fixed request rate (req/s over all connections) instead of as fast as possible. */
  rate?: number;
  /** The server's process id: its tree's CPU time per request is reported (bench/http/cpu.ts). */
  pid?: number;
  /** The status that counts as success, when it is not a 2xx (a 304 revalidation; wrk counts 3xx as success itself). */
  expect?: number;
  /** wrk only: requests go round-robin to these paths of `url`'s host, each with its own headers (several cenvs at once). */
  targets?: Array<{ path: string; headers: Record<string, string> }>;
}

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Responses that were not 2xx, plus connection errors and timeouts: should be 0. */
  failures: number;
  /** CPU time of the server's process tree per 2xx response, in µs (when `pid` was given). */
  cpuUs?: number;
  /** The part of `cpuUs` spent in the server process itself (the rest: its sandbox children). */
  cpuMainUs?: number;
}

export async function measure(load: Load): Promise<Figures> {
  if (load.pid === undefined) return generate(load);
  const before = treeCpuMs(load.pid);
  const ownBefore = ownCpuMs(load.pid);
  const figures = await generate(load);
  const usedMs = treeCpuMs(load.pid) - before;
  const ownMs = ownCpuMs(load.pid) - ownBefore;
  const served = Math.max(1, figures.rps * load.seconds);
  return { ...figures, cpuUs: (usedMs * 1000) / served, cpuMainUs: (ownMs * 1000) / served };
}

async function generate(load: Load): Promise<Figures> {
  if (LOADER === 'wrk' && !load.rate) return measureWrk(load);
  const micros = createHistogram();
  const run = autocannon({
    url: load.url, duration: load.seconds, connections: load.connections, pipelining: 1, timeout: 30,
    method: load.method ?? 'GET', headers: load.headers, body: load.body,
    ...(load.rate ? { overallRate: load.rate } : {}),
  });
  let expected = 0;
  run.on('response', (_client, status, _bytes, ms) => {
    const ok = load.expect === undefined ? status >= 200 && status < 300 : status === load.expect;
    if (ok) micros.record(Math.max(1, Math.round(ms * 1000)));
    if (status === load.expect) expected++;
  });
  const result = await run;
  if (load.expect !== undefined) {
    const total = result['2xx'] + result.non2xx;
    return {
      rps: expected / result.duration, p50: micros.percentile(50) / 1000, p99: micros.percentile(99) / 1000, max: micros.max / 1000,
      failures: total - expected + result.errors + result.timeouts,
    };
  }
  return {
    rps: result['2xx'] / result.duration,
    p50: micros.percentile(50) / 1000,
    p99: micros.percentile(99) / 1000,
    max: micros.max / 1000,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Runs each load `runs` times, taking turns (A, B, A, B…) after a short warm-up of each
 * (JIT, connection pools), and keeps each load's run with the most requests/s. The machine
 * is shared: taking turns spreads other work over both sides of a comparison, and the best
 * run is the least disturbed.
 */
export async function best(loads: Load[], runs: number): Promise<Figures[]> {
  for (const load of loads) await measure({ ...load, seconds: 1 });
  const top: Array<Figures | null> = loads.map(() => null);
  for (let i = 0; i < runs; i++) {
    for (const [j, load] of loads.entries()) {
      const figures = await measure(load);
      if (!top[j] || figures.rps > top[j].rps) top[j] = figures;
    }
  }
  return top as Figures[];
}

export function formatRow(label: string, figures: Figures, ratioTo?: Figures): string {
  const ratio = ratioTo ? `${((figures.rps / ratioTo.rps) * 100).toFixed(0)}%` : '';
  const failed = figures.failures ? ` (${figures.failures} failed!)` : '';
  const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));
  // A server with sandbox children: the main process's share too (it is the one that saturates).
  const main = figures.cpuMainUs !== undefined && figures.cpuUs !== undefined && figures.cpuUs - figures.cpuMainUs >= 1
    ? ` (main ${figures.cpuMainUs.toFixed(0)})` : '';
  const cpu = figures.cpuUs === undefined ? '' : ` ${figures.cpuUs.toFixed(0)}${main} |`;
  return `| ${label} | ${figures.rps.toFixed(0)}${failed} | ${ms(figures.p50)} | ${ms(figures.p99)} | ${ms(figures.max)} |${cpu} ${ratio} |`;
}

export const TABLE_HEAD = '| case | req/s | p50 ms | p99 ms | max ms | WCE/bare req/s |\n|---|---:|---:|---:|---:|---:|';
/** The table head when CPU per request is measured too. */
export const TABLE_HEAD_CPU = '| case | req/s | p50 ms | p99 ms | max ms | server CPU µs/req | WCE/bare req/s |\n|---|---:|---:|---:|---:|---:|---:|';
