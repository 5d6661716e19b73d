/**
 * `npm run bench -- cluster`: what cluster mode costs and how it recovers (bench/RESULTS.md,
 * "Cluster"). About 6 minutes.
 *
 * 1. Litestream: one process per cenv (baseline) against generated configs of 64 cenvs per
 *    process (WCE), at 100 and 1,000 open cenvs (litestream-cost.ts).
 * 2. Throughput through HAProxy: 1 node (baseline) against 3 nodes, and the per-request cost
 *    of forwarding (direct to the owner as the baseline) (throughput.ts).
 * 3. RTO and RPO with the default lease TTL and sync interval: kill -9 of a node under write
 *    load, then a planned handoff (SIGTERM) (failover.ts).
 *
 * Needs etcd and haproxy (Debian: etcd-server, haproxy) and wrk for step 2.
 * Environment: BENCH_SECONDS (per throughput run, 5), BENCH_RUNS (2), BENCH_QUIET_SECONDS (10),
 * BENCH_LITESTREAM_FULL=1 (measure 1,000 Litestream processes instead of extrapolating; ~10 GB),
 * BENCH_CLUSTER_PARTS (a comma-separated subset of litestream,throughput,failover).
 */
import { machine } from '../http/machine.ts';
import { installed } from '../../test/helpers/processes.ts';
import { startCluster } from '../../test/helpers/cluster.ts';
import { createCenv, login } from '../../test/helpers/server.ts';
import { prepareLoadTable, type LoadCenv } from '../../test/helpers/write-load.ts';
import { costTable, litestreamCosts } from './litestream-cost.ts';
import { measureThroughput, throughputReport } from './throughput.ts';
import { failoverReport, measureFailover } from './failover.ts';

const TOKEN = 'bench-operator-token-0123456789';
const out = (text: string) => process.stdout.write(`${text}\n`);

if (!installed('etcd') || !installed('haproxy')) {
  out('etcd and haproxy are needed (apt-get install etcd-server haproxy); nothing measured.');
  process.exit(0);
}
out(`Machine: ${machine()}\n`);

const parts = new Set((process.env.BENCH_CLUSTER_PARTS ?? 'litestream,throughput,failover').split(','));
if (parts.has('litestream')) {
  out('### Litestream: one process per cenv against generated configs\n');
  out(costTable(await litestreamCosts()));
}

const cluster = await startCluster({ nodes: 3, env: { WCE_METRICS_TOKEN: TOKEN } });
try {
  if (parts.has('throughput')) {
    out('\n### Throughput through HAProxy, 1 node against 3, and the cost of forwarding\n');
    out(throughputReport(await measureThroughput(cluster, TOKEN)));
  }
  if (parts.has('failover')) {
    const cenvs: LoadCenv[] = [];
    for (let i = 0; i < 30; i += 6) {
      for (const cenv of await Promise.all(Array.from({ length: 6 }, () => createCenv(cluster.proxy.url)))) {
        const session = await login(cluster.proxy.url, cenv.id, cenv.username, cenv.password);
        const entry = { id: cenv.id, token: session.token };
        await prepareLoadTable(cluster.proxy.url, entry);
        cenvs.push(entry);
      }
    }
    out('\n### RTO and RPO (lease TTL 10 s, Litestream sync interval 1 s; 30 cenvs, one INSERT per cenv every 100 ms through HAProxy)\n');
    out(failoverReport(await measureFailover(cluster, cenvs, TOKEN)));
  }
} finally {
  await cluster.stop();
}
