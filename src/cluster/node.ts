/**
 * Cluster mode, assembled: the etcd client, this node's session (lease and membership), the
 * watched view of the cluster, Litestream replication, ownership and handoff, placement of
 * new cenvs, forwarding, and the hooks and routes the HTTP layer calls. main.ts is the only
 * caller; on a single node none of this is constructed.
 *
 * @example
 *   const node = await startClusterNode(config, clusterConfig, log);
 *   const deps = createDeps(config, log, { registry: node.registry });
 *   node.attach(deps);                 // before buildApp
 *   …
 *   await node.handoff();              // SIGTERM: every cenv handed over after a final sync
 *   await app.close(); await node.close();
 */
import type { Config } from '../config.ts';
import type { AppDeps, ClusterMetrics } from '../server/types.ts';
import type { ClusterConfig } from './config.ts';
import { etcdClient } from './etcd.ts';
import { Forwarder } from './forward.ts';
import { Handoff } from './handoff.ts';
import { LocalCopies } from './local-copy.ts';
import { Replicator } from './litestream/replicator.ts';
import { Ownership } from './ownership.ts';
import { Placement } from './placement.ts';
import { EtcdRegistry } from './registry.ts';
import { clusterRoutes } from './routes.ts';
import { ClusterRouting } from './routing.ts';
import { NodeSession, type SessionLogger } from './session.ts';
import type { LocalStatus } from './status.ts';
import { ClusterView } from './view.ts';

export interface ClusterNode {
  registry: EtcdRegistry;
  /** Wires the node into the HTTP layer's dependencies (sets `deps.cluster`). */
  attach(deps: AppDeps): void;
  /**
   * SIGTERM: planned handoff of every cenv, then a short wait (at most 5 s) until readiness
   * probes have seen the node draining twice, so the load balancer sends nothing more here
   * before the server stops accepting.
   */
  handoff(): Promise<void>;
  /** Leaves the cluster: the lease is revoked, so its record disappears at once. */
  close(): Promise<void>;
}

export async function startClusterNode(config: Config, cluster: ClusterConfig, log: SessionLogger): Promise<ClusterNode> {
  const client = etcdClient(cluster.endpoints);
  const self = { node: cluster.nodeId, url: cluster.nodeUrl };
  const view = new ClusterView(client, log);
  await view.start();
  const session = new NodeSession(client, { nodeId: cluster.nodeId, nodeUrl: cluster.nodeUrl, ttlSeconds: cluster.leaseTtlSeconds }, log);
  await session.start();
  const replicator = new Replicator({ dataDir: config.dataDir, root: cluster.replica, log });
  const copies = new LocalCopies(config.dataDir, cluster.replica);
  const ownership = new Ownership({ client, session, view, replicator, copies, self, log });
  const handoff = new Handoff(ownership, { handoffWaitMs: cluster.handoffWaitMs, idleMs: config.poolIdleMs, maxOpen: config.maxOpenCenvs });
  const registry = new EtcdRegistry(client, view, session, ownership, self);
  const forwarder = new Forwarder(cluster.hopKey, cluster.nodeId);
  const placement = new Placement(view);
  view.onChange((kind, rest) => {
    if (kind === 'nodes' && !view.nodes.has(rest)) forwarder.nodeLeft(rest);
  });
  session.onLost(() => {
    handoff.dropAll().catch((error) => log.error({ err: error }, 'cluster: dropping cenvs after the lease loss failed'));
  });
  const sweeper = setInterval(() => handoff.sweep(), Math.min(30_000, Math.max(1000, config.poolIdleMs / 2)));
  sweeper.unref();

  const local = (): LocalStatus => ({
    node: cluster.nodeId, draining: session.isDraining(), lease_remaining_ms: session.remainingMs(),
    litestream_processes: replicator.stats().pids.length, forwarded: forwarder.stats.forwarded, forward_failures: forwarder.stats.failed,
    cenvs: [...ownership.entries].map(([id, entry]) => ({
      id, token: entry.token, state: entry.state, lag_ms: replicator.lag.lagMs(id), inflight: 'inflight' in entry ? entry.inflight : 0,
    })),
  });
  const metrics = (): ClusterMetrics => {
    const status = local();
    return {
      ownedCenvs: status.cenvs.filter((cenv) => cenv.state === 'serving').length,
      replicationLagSeconds: status.cenvs.map((cenv) => ({ cenvId: cenv.id, seconds: cenv.lag_ms / 1000 })),
      leaseRemainingSeconds: status.lease_remaining_ms / 1000, draining: status.draining,
      forwardedRequests: status.forwarded, forwardFailures: status.forward_failures, litestreamProcesses: status.litestream_processes,
    };
  };
  const drain = async () => {
    await session.setDraining(true);
    await handoff.releaseAll();
  };
  const routing = new ClusterRouting({
    config: cluster, session, view, ownership, forwarder, placement, metrics,
    routes: clusterRoutes({
      nodeId: cluster.nodeId, hopKey: cluster.hopKey, view, local, drain,
      hopOf: (request) => routing.hopOf(request),
      resume: () => session.setDraining(false),
      release: (id) => handoff.release(id),
    }),
  });

  return {
    registry,
    attach(deps) {
      // Ownership drains through the original; everyone else's replacements (import, delete)
      // also restart the cenv's replication when this node serves it.
      const exclusive = deps.exclusive.bind(deps);
      ownership.attach(exclusive);
      deps.exclusive = (id, fn) => ownership.replacing(id, fn);
      deps.bus.subscribe((event) => replicator.noteCommit(event.cenvId));
      deps.cluster = routing;
    },
    async handoff() {
      await drain();
      await session.probesSeen(2, 5000);
    },
    async close() {
      clearInterval(sweeper);
      await replicator.stopAll();
      await session.close();
      await view.close();
      forwarder.close();
      client.close();
    },
  };
}
