/**
 * What `GET /cluster` answers and `npm run cluster:status` prints: the nodes, the cenvs each
 * owns with their fencing tokens, and replication lag. Ownership comes from etcd (the
 * watched view); lag only the owner knows, so each node is asked for its own figures
 * (`GET /_cluster/local`, signed) and a node that does not answer is shown as unreachable.
 *
 * @example
 *   const status = await clusterStatus(view, self, local, (node) => askNode(node));
 *   process.stdout.write(formatStatus(status));
 */
import { nodeLabel } from './keys.ts';
import type { ClusterView } from './view.ts';

/** One node's own figures (`GET /_cluster/local`). */
export interface LocalStatus {
  node: string;
  draining: boolean;
  lease_remaining_ms: number;
  litestream_processes: number;
  forwarded: number;
  forward_failures: number;
  cenvs: Array<{ id: string; token: string | null; state: string; lag_ms: number; inflight: number }>;
}

export interface NodeStatus {
  id: string;
  /** The node's name in `x-wce-served-by`. */
  label: string;
  url: string;
  self: boolean;
  reachable: boolean;
  draining: boolean;
  litestream_processes: number | null;
  max_lag_ms: number | null;
  cenvs: Array<{ id: string; name: string | null; token: string; state: string | null; lag_ms: number | null }>;
}

export interface ClusterStatus {
  node: string;
  nodes: NodeStatus[];
  cenvs: { total: number; owned: number; unowned: number };
}

export async function clusterStatus(view: ClusterView, self: string, local: LocalStatus, ask: (url: string) => Promise<LocalStatus | null>): Promise<ClusterStatus> {
  const nodes = [...view.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
  const reports = await Promise.all(nodes.map((node) => (node.id === self ? Promise.resolve(local) : ask(node.url))));
  let owned = 0;
  const statuses = nodes.map((node, i): NodeStatus => {
    const report = reports[i];
    const figures = new Map(report?.cenvs.map((cenv) => [cenv.id, cenv]) ?? []);
    const cenvs = [...view.owners].filter(([, owner]) => owner.node === node.id).map(([id, owner]) => ({
      id, name: view.cenvs.get(id)?.name ?? null, token: owner.token,
      state: figures.get(id)?.state ?? null, lag_ms: figures.get(id)?.lag_ms ?? null,
    })).sort((a, b) => a.id.localeCompare(b.id));
    owned += cenvs.length;
    return {
      id: node.id, label: nodeLabel(node.id), url: node.url, self: node.id === self, reachable: report !== null, draining: report?.draining ?? node.draining,
      litestream_processes: report?.litestream_processes ?? null,
      max_lag_ms: report ? Math.max(0, ...report.cenvs.map((cenv) => cenv.lag_ms)) : null,
      cenvs,
    };
  });
  const total = [...view.cenvs.values()].filter((cenv) => cenv.status === 'active').length;
  return { node: self, nodes: statuses, cenvs: { total, owned, unowned: Math.max(0, total - owned) } };
}

/** The status as a short text table (for the command line). */
export function formatStatus(status: ClusterStatus): string {
  const lines = [`cluster seen from ${status.node}: ${status.nodes.length} nodes, ${status.cenvs.total} cenvs (${status.cenvs.owned} open, ${status.cenvs.unowned} closed: their replica is authoritative)`, ''];
  lines.push('node'.padEnd(24) + 'state'.padEnd(14) + 'cenvs'.padStart(6) + 'max lag'.padStart(10) + 'litestream'.padStart(12));
  for (const node of status.nodes) {
    const state = !node.reachable ? 'unreachable' : node.draining ? 'draining' : 'serving';
    const lag = node.max_lag_ms === null ? '?' : `${(node.max_lag_ms / 1000).toFixed(1)} s`;
    lines.push(`${(node.id + (node.self ? ' *' : '')).padEnd(24)}${state.padEnd(14)}${String(node.cenvs.length).padStart(6)}${lag.padStart(10)}${String(node.litestream_processes ?? '?').padStart(12)}`);
  }
  lines.push('');
  for (const node of status.nodes) {
    for (const cenv of node.cenvs) {
      const lag = cenv.lag_ms === null ? '?' : `${(cenv.lag_ms / 1000).toFixed(1)} s`;
      lines.push(`  ${node.id.padEnd(22)}${cenv.id}  ${(cenv.name ?? '').padEnd(20)} token ${cenv.token.padEnd(8)} lag ${lag}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
