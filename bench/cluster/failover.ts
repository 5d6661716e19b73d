/**
 * RTO and RPO of a 3-node cluster with the default lease TTL (10 s) and Litestream's default
 * sync interval (1 s), measured with the same write load as the cluster test: one writer per
 * cenv through HAProxy, one INSERT every 100 ms each.
 *
 * - Unplanned: kill -9 of one node's process group. RTO per cenv it owned = time from the
 *   kill to its first acknowledged write afterwards. RPO = acknowledged writes missing
 *   afterwards, and how far back before the kill the oldest of them was acknowledged.
 * - Planned: SIGTERM to another node (after the killed one has rejoined). Lost writes
 *   (expected 0) and the longest time any of its cenvs could not write.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestCluster } from '../../test/helpers/cluster.ts';
import { bearer, request } from '../../test/helpers/server.ts';
import { acknowledged, acknowledgedCount, allFencingViolations, longestGap, startWriteLoad, type LoadCenv } from '../../test/helpers/write-load.ts';

export interface FailoverFigures {
  unplanned: { cenvs: number; rtoMedianMs: number; rtoMaxMs: number; acknowledged: number; lost: number; lostWindowMs: number; survivorsMaxGapMs: number; fencingViolations: number };
  planned: { cenvs: number; acknowledged: number; lost: number; maxGapMs: number; exitMs: number; fencingViolations: number };
}

async function owners(cluster: TestCluster, token: string): Promise<Map<string, string>> {
  const alive = cluster.nodes.find((node) => node.child.exitCode === null && node.child.signalCode === null)!;
  const res = await request(`${alive.url}/cluster`, { headers: bearer(token) });
  const map = new Map<string, string>();
  for (const node of res.body.nodes) for (const cenv of node.cenvs) map.set(cenv.id, node.id);
  return map;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function measureFailover(cluster: TestCluster, cenvs: LoadCenv[], operatorToken: string): Promise<FailoverFigures> {
  const url = cluster.proxy.url;
  // Unplanned.
  let load = startWriteLoad(url, cenvs, { pauseMs: 100 });
  await sleep(5000);
  const victim = cluster.nodes[1];
  const victimId = `127.0.0.1:${victim.port}`;
  const before = await owners(cluster, operatorToken);
  const lostCenvs = cenvs.filter((cenv) => before.get(cenv.id) === victimId);
  const killedAt = performance.now();
  await cluster.kill9(victim);
  const recovered = (id: string) => acknowledged(load.attempts.get(id)!).some((a) => a.start > killedAt);
  while (performance.now() - killedAt < 60_000 && !lostCenvs.every((cenv) => recovered(cenv.id))) await sleep(250);
  await sleep(2000);
  const stoppedAt = performance.now();
  await load.stop();
  const rto = lostCenvs.map((cenv) => (acknowledged(load.attempts.get(cenv.id)!).find((a) => a.start > killedAt)?.end ?? Infinity) - killedAt);
  let lost = [...(await load.lostWrites(url)).values()].flat();
  const unplanned = {
    cenvs: lostCenvs.length, rtoMedianMs: median(rto), rtoMaxMs: Math.max(...rto),
    acknowledged: acknowledgedCount(load),
    lost: lost.length, lostWindowMs: lost.length ? killedAt - Math.min(...lost.map((a) => a.end)) : 0,
    survivorsMaxGapMs: Math.max(...cenvs.filter((cenv) => !lostCenvs.includes(cenv)).map((cenv) => longestGap(load.attempts.get(cenv.id)!, killedAt - 2000, stoppedAt))),
    fencingViolations: allFencingViolations(load).length,
  };

  // Planned: the killed node comes back, then another one is stopped with SIGTERM.
  await cluster.restart(victim);
  await sleep(2000);
  load = startWriteLoad(url, cenvs, { pauseMs: 100 });
  await sleep(5000);
  const leaving = cluster.nodes[2];
  const leavingId = `127.0.0.1:${leaving.port}`;
  const ownedNow = await owners(cluster, operatorToken);
  const handed = cenvs.filter((cenv) => ownedNow.get(cenv.id) === leavingId);
  const signalled = performance.now();
  leaving.child.kill('SIGTERM');
  await leaving.exited;
  const exitMs = performance.now() - signalled;
  await sleep(4000);
  await load.stop();
  lost = [...(await load.lostWrites(url)).values()].flat();
  const planned = {
    cenvs: handed.length, acknowledged: acknowledgedCount(load),
    lost: lost.length, exitMs,
    maxGapMs: Math.max(...handed.map((cenv) => longestGap(load.attempts.get(cenv.id)!, signalled - 1000, performance.now()))),
    fencingViolations: allFencingViolations(load).length,
  };
  return { unplanned, planned };
}

export function failoverReport(figures: FailoverFigures): string {
  const u = figures.unplanned;
  const p = figures.planned;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    '| case | cenvs moved | RTO median | RTO worst | writes acknowledged | acknowledged writes lost | lost from the last | other cenvs: longest gap | fencing violations |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| kill -9 of a node | ${u.cenvs} | ${s(u.rtoMedianMs)} | ${s(u.rtoMaxMs)} | ${u.acknowledged} | ${u.lost} | ${s(u.lostWindowMs)} before the kill | ${s(u.survivorsMaxGapMs)} | ${u.fencingViolations} |`,
    `| SIGTERM (planned handoff) | ${p.cenvs} | – | ${s(p.maxGapMs)} (longest gap) | ${p.acknowledged} | ${p.lost} | – | – | ${p.fencingViolations} |`,
    '',
    `The node stopped with SIGTERM exited ${s(p.exitMs)} after the signal (handoff, then the load balancer's checks).`,
  ].join('\n');
}
