/**
 * Throughput through HAProxy: one WCE node (single-node mode, default settings: 2 sandbox
 * children; the baseline) against the 3-node cluster (1 sandbox child per node), on the same machine, with the same cenvs and requests (12 cenvs, requests
 * spread round-robin over them by wrk): a primary-key read and an insert through
 * `POST /{cenv}/sql`. On 2 cores no gain is expected — three servers share the cores one
 * had — the point is what the cluster costs.
 *
 * The per-request proxy cost: one cenv, requests sent straight to its owner against the same
 * requests sent to another node, which forwards them (streaming proxy, signed hop,
 * keep-alive to the owner): requests/s, latency, and CPU per request of the node that
 * received them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { best, formatRow, measure, TABLE_HEAD_CPU, type Figures, type Load } from '../http/load.ts';
import { WRK_AVAILABLE } from '../http/wrk.ts';
import { rmSync } from 'node:fs';
import { freePort, startHaproxy, type Haproxy } from '../../test/helpers/processes.ts';
import { createCenv, login, request, bearer, tempDir } from '../../test/helpers/server.ts';
import { spawnNode, type TestCluster } from '../../test/helpers/cluster.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const CONNECTIONS = 24;
const READ = JSON.stringify({ sql: 'SELECT v FROM kv WHERE k = ?', params: [42] });
const WRITE = JSON.stringify({ sql: "INSERT INTO kv (v) VALUES ('bench')" });

export interface BenchCenv { id: string; token: string }

/** Creates `count` cenvs through `url`, each with a 100-row table, and logs in their owners. */
export async function benchCenvs(url: string, count: number): Promise<BenchCenv[]> {
  const out: BenchCenv[] = [];
  for (let i = 0; i < count; i += 6) {
    const made = await Promise.all(Array.from({ length: Math.min(6, count - i) }, () => createCenv(url)));
    for (const cenv of made) {
      const session = await login(url, cenv.id, cenv.username, cenv.password);
      const res = await request(`${url}/${cenv.id}/sql`, { headers: bearer(session.token), body: { statements: [
        { sql: 'CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)' },
        { sql: "INSERT INTO kv (v) SELECT 'row ' || value FROM generate_series(1, 100)" },
      ] } });
      if (res.status !== 200) {
        // generate_series may be missing from this SQLite build: fall back to a recursive CTE.
        const retry = await request(`${url}/${cenv.id}/sql`, { headers: bearer(session.token), body: { statements: [
          { sql: 'CREATE TABLE IF NOT EXISTS kv (k INTEGER PRIMARY KEY, v TEXT)' },
          { sql: "INSERT INTO kv (v) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) SELECT 'row ' || x FROM c" },
        ] } });
        if (retry.status !== 200) throw new Error(`cannot prepare a bench cenv: ${retry.status} ${JSON.stringify(retry.body)}`);
      }
      out.push({ id: cenv.id, token: session.token });
    }
  }
  return out;
}

function spread(url: string, cenvs: BenchCenv[], body: string): Load {
  return {
    url: `${url}/`, seconds: SECONDS, connections: CONNECTIONS, method: 'POST', body,
    headers: { 'content-type': 'application/json' },
    targets: cenvs.map((cenv) => ({ path: `/${cenv.id}/sql`, headers: { authorization: `Bearer ${cenv.token}` } })),
  };
}

export interface ThroughputFigures { single: Figures[]; cluster: Figures[]; owners: Figures[]; direct: Figures; forwarded: Figures }

/** Which node owns each cenv (from GET /cluster). */
async function ownerOf(cluster: TestCluster, operatorToken: string): Promise<Map<string, string>> {
  const status = await request(`${cluster.nodes[0].url}/cluster`, { headers: bearer(operatorToken) });
  const map = new Map<string, string>();
  for (const node of status.body.nodes as Array<{ id: string; cenvs: Array<{ id: string }> }>) for (const cenv of node.cenvs) map.set(cenv.id, node.id);
  return map;
}

/**
 * Every request straight to its cenv's owner (one wrk per node, at once): what the cluster
 * does when no request needs forwarding. Best of RUNS; requests/s summed, latencies the worst.
 */
async function straightToOwners(cluster: TestCluster, cenvs: BenchCenv[], owners: Map<string, string>, body: string): Promise<Figures> {
  let top: Figures | null = null;
  for (let run = 0; run < RUNS; run++) {
    const parts = await Promise.all(cluster.nodes.map((node) => {
      const mine = cenvs.filter((cenv) => owners.get(cenv.id) === `127.0.0.1:${node.port}`);
      return mine.length === 0 ? null : measure({ ...spread(node.url, mine, body), connections: Math.max(1, Math.round(CONNECTIONS * mine.length / cenvs.length)) });
    }));
    const done = parts.filter((f): f is Figures => f !== null);
    const sum: Figures = { rps: done.reduce((a, f) => a + f.rps, 0), p50: Math.max(...done.map((f) => f.p50)), p99: Math.max(...done.map((f) => f.p99)), max: Math.max(...done.map((f) => f.max)), failures: done.reduce((a, f) => a + f.failures, 0) };
    if (!top || sum.rps > top.rps) top = sum;
  }
  return top!;
}

/** The single-node baseline (default settings): its own server and HAProxy, measured and torn down. */
async function singleNode(): Promise<Figures[]> {
  const dataDir = tempDir();
  const env = { PATH: process.env.PATH ?? '', WCE_HOST: '127.0.0.1', WCE_BCRYPT_COST: '4', WCE_LOG_LEVEL: 'warn', WCE_NEW_CENVS_PER_HOUR: '0', WCE_LOGIN_MAX_FAILURES: '0', WCE_TRUST_PROXY: '127.0.0.1' };
  const server = await spawnNode('single', await freePort(), dataDir, env);
  let proxy: Haproxy | null = null;
  try {
    proxy = await startHaproxy([{ name: 'n1', address: `127.0.0.1:${server.port}` }]);
    await sleep(1200);
    const cenvs = await benchCenvs(proxy.url, 12);
    return await best([spread(proxy.url, cenvs, READ), spread(proxy.url, cenvs, WRITE)], RUNS);
  } finally {
    await proxy?.stop();
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureThroughput(cluster: TestCluster, operatorToken: string): Promise<ThroughputFigures | null> {
  if (!WRK_AVAILABLE) return null;
  const single = await singleNode();
  const cenvs = await benchCenvs(cluster.proxy.url, 12);
  const clusterFigures = await best([spread(cluster.proxy.url, cenvs, READ), spread(cluster.proxy.url, cenvs, WRITE)], RUNS);
  const owners = await ownerOf(cluster, operatorToken);
  const ownersFigures = [await straightToOwners(cluster, cenvs, owners, READ), await straightToOwners(cluster, cenvs, owners, WRITE)];
  // One cenv, straight to its owner or through another node.
  const owner = cluster.nodes.find((node) => `127.0.0.1:${node.port}` === owners.get(cenvs[0].id))!;
  const other = cluster.nodes.find((node) => node !== owner && node.child.exitCode === null)!;
  const one = (url: string, pid: number): Load => ({
    url: `${url}/${cenvs[0].id}/sql`, seconds: SECONDS, connections: 10, method: 'POST', body: READ, pid,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${cenvs[0].token}` },
  });
  const [direct, forwarded] = await best([one(owner.url, owner.child.pid!), one(other.url, other.child.pid!)], RUNS);
  return { single, cluster: clusterFigures, owners: ownersFigures, direct, forwarded };
}

export function throughputReport(figures: ThroughputFigures | null): string {
  if (!figures) return 'wrk is not installed: throughput not measured.';
  const head = '| case | req/s | p50 ms | p99 ms | max ms | vs baseline |\n|---|---:|---:|---:|---:|---:|';
  return [
    head,
    formatRow('1 node, read by key (12 cenvs)', figures.single[0]),
    formatRow('3 nodes, read by key (12 cenvs)', figures.cluster[0], figures.single[0]),
    formatRow('3 nodes, read by key, each request straight to the owner', figures.owners[0], figures.single[0]),
    formatRow('1 node, insert (12 cenvs)', figures.single[1]),
    formatRow('3 nodes, insert (12 cenvs)', figures.cluster[1], figures.single[1]),
    formatRow('3 nodes, insert, each request straight to the owner', figures.owners[1], figures.single[1]),
    '',
    TABLE_HEAD_CPU.replace('server CPU µs/req', 'CPU µs/req of the receiving node').replace('WCE/bare req/s', 'vs straight'),
    formatRow('read, straight to the owner', figures.direct),
    formatRow('read, through another node (forwarded)', figures.forwarded, figures.direct),
    '',
    `Forwarding adds ${(figures.forwarded.p50 - figures.direct.p50).toFixed(2)} ms at p50; the forwarding node spends ` +
      `${Math.round(figures.forwarded.cpuUs ?? 0)} µs of CPU per request (the owner ${Math.round(figures.direct.cpuUs ?? 0)} µs to serve one).`,
  ].join('\n');
}
