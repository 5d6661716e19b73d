/**
 * What replicating N open cenvs costs with Litestream, two ways, outside WCE so nothing else
 * runs in the processes measured:
 *
 * - one process per cenv (`litestream replicate DB URL`), the baseline;
 * - generated configs, 64 cenvs per process, exactly as WCE does it (src/cluster/litestream/
 *   replicator.ts is used as is).
 *
 * For each: time until every cenv's first snapshot is on the replica, memory (PSS: shared
 * pages split fairly between processes), CPU over a quiet period and over a period where
 * every cenv commits once a second, and (config) the time to add one more cenv to a full
 * shard. One process per cenv at 1,000 would hold ~10 GB on a shared machine, so by default
 * it is measured at 100 and 250 and extrapolated (BENCH_LITESTREAM_FULL=1 measures it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../src/cenv/open.ts';
import { litestreamCommand } from '../../src/cluster/litestream/binary.ts';
import { Replicator } from '../../src/cluster/litestream/replicator.ts';

const QUIET_S = Number(process.env.BENCH_QUIET_SECONDS ?? 10);
const log = { info() {}, warn() {}, error: (obj: object, msg: string) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`) };

export interface Cost {
  how: string;
  cenvs: number;
  processes: number;
  startS: number;
  pssMb: number;
  quietCpuPct: number;
  writingCpuPct: number;
  addOneS?: number;
  extrapolated?: boolean;
}

function pssKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function cpuTicks(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return sum + Number(fields[11]) + Number(fields[12]);
    } catch {
      return sum;
    }
  }, 0);
}

/** With setpriv in front, the Litestream process is the wrapper's only child. */
function litestreamPid(pid: number): number {
  try {
    const child = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return child ? Number(child) : pid;
  } catch {
    return pid;
  }
}

function makeDbs(dir: string, count: number): { paths: string[]; dbs: DatabaseSync[] } {
  const paths = Array.from({ length: count }, (_, i) => path.join(dir, `c${i}.db`));
  const dbs = paths.map((file) => {
    const db = openDatabase(file, { create: true });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    return db;
  });
  return { paths, dbs };
}

/** CPU of `pids` over `seconds`, as a percentage of one core; `tick` runs once a second meanwhile. */
async function cpuOver(pids: number[], seconds: number, tick?: () => void): Promise<number> {
  const before = cpuTicks(pids);
  for (let i = 0; i < seconds; i++) {
    tick?.();
    await sleep(1000);
  }
  return (cpuTicks(pids) - before) / seconds; // ticks are 10 ms: ticks per second = % of a core
}

async function perProcess(count: number): Promise<Cost> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wce-ls-proc-'));
  const { paths, dbs } = makeDbs(dir, count);
  const children: ChildProcess[] = [];
  const started = performance.now();
  let snapshots = 0;
  try {
    for (const [i, file] of paths.entries()) {
      const { command, args } = litestreamCommand(['replicate', file, `file://${dir}/replica/${i}`]);
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on('line', (line) => { if (line.includes('snapshot written')) snapshots++; });
      }
    }
    while (snapshots < count && performance.now() - started < 300_000) await sleep(100);
    const startS = (performance.now() - started) / 1000;
    const pids = children.map((child) => litestreamPid(child.pid!));
    const pssMb = pids.reduce((sum, pid) => sum + pssKb(pid), 0) / 1024;
    const quietCpuPct = await cpuOver(pids, QUIET_S);
    let n = 0;
    const writingCpuPct = await cpuOver(pids, QUIET_S, () => { for (const db of dbs) db.prepare('INSERT INTO t (v) VALUES (?)').run(`w${n++}`); });
    return { how: 'one process per cenv', cenvs: count, processes: count, startS, pssMb, quietCpuPct, writingCpuPct };
  } finally {
    await Promise.all(children.map((child) => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); })));
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function generatedConfig(count: number): Promise<Cost> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wce-ls-conf-'));
  const { paths, dbs } = makeDbs(dir, count + 1);
  const replicator = new Replicator({ dataDir: dir, root: { kind: 'file', location: path.join(dir, 'replica'), prefix: '' }, log });
  try {
    const started = performance.now();
    await Promise.all(paths.slice(0, count).map((file, i) => replicator.add(`c${i}`, file, '1')));
    const startS = (performance.now() - started) / 1000;
    const pids = replicator.stats().pids.map(litestreamPid);
    const pssMb = pids.reduce((sum, pid) => sum + pssKb(pid), 0) / 1024;
    const quietCpuPct = await cpuOver(pids, QUIET_S);
    let n = 0;
    const writingCpuPct = await cpuOver(pids, QUIET_S, () => { for (const db of dbs.slice(0, count)) db.prepare('INSERT INTO t (v) VALUES (?)').run(`w${n++}`); });
    const added = performance.now();
    await replicator.add(`c${count}`, paths[count], '1');
    const addOneS = (performance.now() - added) / 1000;
    return { how: 'generated configs, 64 cenvs per process (WCE)', cenvs: count, processes: pids.length, startS, pssMb, quietCpuPct, writingCpuPct, addOneS };
  } finally {
    await replicator.stopAll();
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measures both ways at 100 and 1,000 open cenvs. */
export async function litestreamCosts(): Promise<Cost[]> {
  const results: Cost[] = [];
  const full = process.env.BENCH_LITESTREAM_FULL === '1';
  for (const count of [100, 1000]) {
    if (count <= 250 || full) {
      results.push(await perProcess(count));
    } else {
      const mid = await perProcess(250);
      results.push(mid);
      const scale = count / mid.cenvs;
      results.push({ ...mid, cenvs: count, processes: count, pssMb: mid.pssMb * scale, quietCpuPct: mid.quietCpuPct * scale,
        writingCpuPct: mid.writingCpuPct * scale, startS: Number.NaN, extrapolated: true });
    }
    results.push(await generatedConfig(count));
  }
  return results;
}

export function costTable(costs: Cost[]): string {
  const lines = ['| how | open cenvs | processes | all first snapshots | memory (PSS) | CPU quiet | CPU, each cenv 1 commit/s | add one cenv |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const c of costs) {
    const mark = c.extrapolated ? ' (extrapolated from 250)' : '';
    lines.push(`| ${c.how}${mark} | ${c.cenvs} | ${c.processes} | ${Number.isNaN(c.startS) ? '–' : `${c.startS.toFixed(1)} s`} | ${c.pssMb.toFixed(0)} MB | ${c.quietCpuPct.toFixed(1)}% | ${c.writingCpuPct.toFixed(1)}% | ${c.addOneS === undefined ? '–' : `${c.addOneS.toFixed(2)} s`} |`);
  }
  return lines.join('\n');
}
