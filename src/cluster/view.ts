/**
 * This node's picture of the cluster: every key under `/wce/`, loaded once and kept current
 * by one etcd watch. Request routing reads it on every request (who owns this cenv, at
 * which address), so it has to be in memory. It is a hint, never the authority: a claim is
 * an etcd transaction, and a node that forwards on a stale picture reaches a node that
 * answers from its own state (see routing.ts).
 *
 * @example
 *   const view = new ClusterView(client, log);
 *   await view.start();
 *   view.owners.get(cenvId) // { node, url, token, lease } or undefined
 */
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import { PREFIX, parseJson, parseKey, type CenvRecord, type LineageRecord, type NodeRecord, type OwnerRecord } from './keys.ts';
import type { SessionLogger } from './session.ts';
import { untilDone } from './retry.ts';

export interface OwnerEntry extends OwnerRecord {
  /** The owner key's create revision: the fencing token. */
  token: string;
  lease: string;
}

export class ClusterView {
  readonly nodes = new Map<string, NodeRecord>();
  readonly cenvs = new Map<string, CenvRecord>();
  readonly names = new Map<string, string>();
  readonly owners = new Map<string, OwnerEntry>();
  readonly lineage = new Map<string, LineageRecord>();
  private watcher: Watcher | null = null;
  private closed = false;
  private readonly changeListeners: Array<(kind: string, rest: string) => void> = [];
  private readonly client: Etcd3;
  private readonly log: SessionLogger;

  constructor(client: Etcd3, log: SessionLogger) {
    this.client = client;
    this.log = log;
  }

  /** Loads everything and starts watching; retries until etcd answers. */
  async start(): Promise<void> {
    await untilDone(() => this.load(), () => this.closed, this.log, 'cannot read the cluster state from etcd');
  }

  /** Called after every change with the key's kind and id/name (e.g. to wake waiters). */
  onChange(listener: (kind: string, rest: string) => void): void {
    this.changeListeners.push(listener);
  }

  /** Applies a key this node just wrote, before the watch reports it back. */
  apply(kv: IKeyValue, deleted = false): void {
    const parsed = parseKey(kv.key.toString());
    if (!parsed) return;
    const { kind, rest } = parsed;
    switch (kind) {
      case 'nodes': this.set(this.nodes, rest, deleted ? null : parseJson<NodeRecord>(kv.value)); break;
      case 'cenvs': this.set(this.cenvs, rest, deleted ? null : parseJson<CenvRecord>(kv.value)); break;
      case 'names': this.set(this.names, rest, deleted ? null : kv.value.toString()); break;
      case 'replicas': this.set(this.lineage, rest, deleted ? null : parseJson<LineageRecord>(kv.value)); break;
      case 'owners': {
        const record = deleted ? null : parseJson<OwnerRecord>(kv.value);
        this.set(this.owners, rest, record && { ...record, token: String(kv.create_revision), lease: String(kv.lease) });
        break;
      }
    }
    for (const listener of this.changeListeners) listener(kind, rest);
  }

  /** Cenvs owned per node, counting every live node (placement reads it). */
  ownedPerNode(): Map<string, number> {
    const counts = new Map<string, number>([...this.nodes.keys()].map((node) => [node, 0]));
    for (const owner of this.owners.values()) counts.set(owner.node, (counts.get(owner.node) ?? 0) + 1);
    return counts;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.watcher?.cancel().catch(() => { /* closing anyway */ });
  }

  private set<T>(map: Map<string, T>, key: string, value: T | null): void {
    if (value === null) map.delete(key);
    else map.set(key, value);
  }

  private async load(): Promise<void> {
    await this.watcher?.cancel().catch(() => { /* replaced below */ });
    const response = await this.client.getAll().prefix(PREFIX).exec();
    for (const map of [this.nodes, this.cenvs, this.names, this.owners, this.lineage] as Array<Map<string, unknown>>) map.clear();
    for (const kv of response.kvs) this.apply(kv);
    const next = (BigInt(response.header.revision) + 1n).toString();
    const watcher = await this.client.watch().prefix(PREFIX).startRevision(next).create();
    watcher.on('put', (kv) => this.apply(kv));
    watcher.on('delete', (kv) => this.apply(kv, true));
    // A watch that cannot resume (its revision was compacted away) is rebuilt from scratch.
    watcher.on('error', (error) => {
      if (this.closed) return;
      this.log.warn({ err: error }, 'cluster: watch failed; reloading the cluster state');
      void this.start();
    });
    this.watcher = watcher;
  }
}
