/**
 * Where a new cenv goes. HAProxy hashes `POST /new` like any path, so every creation
 * reaches the same node; kept there, all cenvs would pile up on it. Instead the node that
 * receives the request picks the live, non-draining node owning the fewest cenvs and
 * forwards the creation to it. HAProxy's hash of the new cenv's future path cannot be
 * matched (a cenv is reached by its name and by its id, which hash differently), so it is
 * not attempted: requests that land elsewhere are forwarded to the owner.
 *
 * Creations decided but not yet visible in etcd are counted as pending for their node, so
 * a burst of creations spreads out instead of all going to the node that looked emptiest.
 *
 * @example const target = placement.choose(); // { node, url } or null
 */
import type { ClusterView } from './view.ts';

const PENDING_MS = 10_000;

export interface PlacementTarget { node: string; url: string }

export class Placement {
  private readonly pending = new Map<string, number[]>();
  private readonly view: ClusterView;

  constructor(view: ClusterView) {
    this.view = view;
    // A placed cenv that shows up as owned no longer counts as pending.
    view.onChange((kind, rest) => {
      if (kind !== 'owners') return;
      const owner = view.owners.get(rest);
      if (owner) this.pending.get(owner.node)?.shift();
    });
  }

  /** The least loaded live node that is not draining (`exclude` left out), or null. */
  choose(exclude?: string): PlacementTarget | null {
    const counts = this.view.ownedPerNode();
    const now = Date.now();
    let best: PlacementTarget | null = null;
    let bestLoad = Infinity;
    const nodes = [...this.view.nodes.values()].sort(() => Math.random() - 0.5);
    for (const node of nodes) {
      if (node.draining || node.id === exclude) continue;
      const recent = (this.pending.get(node.id) ?? []).filter((until) => until > now);
      this.pending.set(node.id, recent);
      const load = (counts.get(node.id) ?? 0) + recent.length;
      if (load < bestLoad) {
        best = { node: node.id, url: node.url };
        bestLoad = load;
      }
    }
    return best;
  }

  /** Counts a creation just sent to `node` until etcd shows it. */
  placed(node: string): void {
    const list = this.pending.get(node) ?? [];
    list.push(Date.now() + PENDING_MS);
    this.pending.set(node, list);
  }
}
