/**
 * Replication of this node's open cenvs with Litestream, several cenvs per process.
 *
 * Measured (bench/RESULTS.md, "Cluster"): a Litestream process costs ~9 MB of private memory
 * before it replicates anything, a database in a shared process ~0.5 MB; at 1,000 open cenvs
 * that is ~9 GB against ~0.5 GB. So cenvs are grouped into shards of up to `shardSize`, each
 * one process with a generated config. Litestream 0.3 cannot add a database to a running
 * process, so adding or removing one restarts its shard (final sync first, see shard.ts).
 *
 * `add` resolves once the new replica holds a snapshot: the caller records the replica as
 * authoritative only then (a successor must never restore from an empty path). Adds that
 * arrive together are batched into one restart; a shard whose members still wait for their
 * first snapshot is not restarted for new ones (that would delay them again), so a burst of
 * adds may open an extra shard.
 *
 * @example
 *   const replicator = new Replicator({ dataDir, root, log });
 *   await replicator.add(cenvId, dbPath, token);   // replicating to {root}/{cenvId}/{token}/
 *   replicator.lag.lagMs(cenvId);
 *   await replicator.remove(cenvId);               // final sync, stop replicating it
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ReplicaRoot } from '../config.ts';
import type { SessionLogger } from '../session.ts';
import type { ReplicaTarget, ReplicatedDb } from './config.ts';
import { LagTracker } from './lag.ts';
import { Shard, type ShardEvent } from './shard.ts';

export interface ReplicatorOptions {
  dataDir: string;
  root: ReplicaRoot;
  log: SessionLogger;
  /** Cenvs per Litestream process (default 64). */
  shardSize?: number;
  /** How long `add` waits for the first snapshot (default 60 s). */
  firstSnapshotTimeoutMs?: number;
}

interface ShardState {
  shard: Shard;
  members: Map<string, Member>;
  busy: boolean;
  chain: Promise<void>;
}

interface Member {
  cenvId: string;
  db: ReplicatedDb;
  shard: ShardState | null;
  pending: boolean;
  settle: { resolve(): void; reject(error: Error): void; timer: NodeJS.Timeout } | null;
}

/** Litestream keeps its shadow WAL beside the database in `.{name}-litestream`. */
export function litestreamMetaDir(dbPath: string): string {
  return path.join(path.dirname(dbPath), `.${path.basename(dbPath)}-litestream`);
}

export class Replicator {
  readonly lag = new LagTracker();
  private readonly members = new Map<string, Member>();
  private readonly byPath = new Map<string, Member>();
  private readonly shards: ShardState[] = [];
  private queue: Member[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private nextShard = 1;
  private readonly dir: string;
  private readonly options: Required<ReplicatorOptions>;

  constructor(options: ReplicatorOptions) {
    this.options = { shardSize: 64, firstSnapshotTimeoutMs: 60_000, ...options };
    this.dir = path.join(options.dataDir, 'litestream');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (options.root.kind === 'file') mkdirSync(options.root.location, { recursive: true, mode: 0o700 });
  }

  /** Starts replicating `dbPath` to a fresh replica for `token`; resolves once it has a snapshot. */
  add(cenvId: string, dbPath: string, token: string): Promise<void> {
    if (this.members.has(cenvId)) return Promise.reject(new Error(`cenv ${cenvId} is already replicated`));
    // A new replica path starts a new generation: Litestream's old shadow WAL would not match it.
    rmSync(litestreamMetaDir(dbPath), { recursive: true, force: true });
    const target: ReplicaTarget = { root: this.options.root, cenvId, token };
    const member: Member = { cenvId, db: { dbPath, target }, shard: null, pending: true, settle: null };
    const confirmed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(member, new Error(`no snapshot of cenv ${cenvId} reached the replica within ${this.options.firstSnapshotTimeoutMs} ms`)), this.options.firstSnapshotTimeoutMs);
      member.settle = { resolve, reject, timer };
    });
    this.members.set(cenvId, member);
    this.byPath.set(dbPath, member);
    this.lag.track(cenvId);
    this.queue.push(member);
    this.flushTimer ??= setTimeout(() => this.flush(), 50);
    return confirmed;
  }

  has(cenvId: string): boolean {
    return this.members.has(cenvId);
  }

  /** Commits of a cenv, for the lag figure. */
  noteCommit(cenvId: string): void {
    this.lag.commit(cenvId);
  }

  /** Stops replicating one cenv; resolves after its final sync. */
  async remove(cenvId: string): Promise<void> {
    const member = this.members.get(cenvId);
    if (!member) return;
    this.forget(member);
    this.fail(member, new Error(`replication of cenv ${cenvId} was stopped`));
    this.queue = this.queue.filter((queued) => queued !== member);
    const state = member.shard;
    if (!state) return;
    state.members.delete(cenvId);
    await this.schedule(state);
  }

  /** Final sync of every cenv and no more replication (planned handoff, lease loss, exit). */
  async stopAll(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const member of [...this.members.values()]) {
      this.forget(member);
      this.fail(member, new Error(`replication of cenv ${member.cenvId} was stopped`));
    }
    this.queue = [];
    await Promise.all(this.shards.map(async (state) => {
      state.members.clear();
      await state.chain;
      await state.shard.stop();
    }));
    this.shards.length = 0;
  }

  stats(): { shards: number; cenvs: number; pending: number; pids: number[] } {
    const pids = this.shards.map((state) => state.shard.pid).filter((pid): pid is number => pid !== null);
    return { shards: this.shards.length, cenvs: this.members.size, pending: [...this.members.values()].filter((m) => m.pending).length, pids };
  }

  private flush(): void {
    this.flushTimer = null;
    const batch = this.queue;
    this.queue = [];
    for (let i = 0; i < batch.length; i += this.options.shardSize) {
      const chunk = batch.slice(i, i + this.options.shardSize);
      const state = this.shardFor(chunk.length);
      for (const member of chunk) {
        member.shard = state;
        state.members.set(member.cenvId, member);
      }
      void this.schedule(state);
    }
  }

  /** The fullest shard with room that is idle and has no member awaiting its first snapshot. */
  private shardFor(count: number): ShardState {
    const candidates = this.shards.filter((state) => !state.busy && state.members.size + count <= this.options.shardSize &&
      ![...state.members.values()].some((member) => member.pending));
    candidates.sort((a, b) => b.members.size - a.members.size);
    if (candidates[0]) return candidates[0];
    const id = this.nextShard++;
    const state: ShardState = { members: new Map(), busy: false, chain: Promise.resolve(), shard: null as unknown as Shard };
    state.shard = new Shard(id, this.dir, (dbPath, event) => this.onEvent(state, dbPath, event), this.options.log);
    this.shards.push(state);
    return state;
  }

  /** Restarts the shard with its current members, after whatever it is doing now. */
  private schedule(state: ShardState): Promise<void> {
    state.busy = true;
    state.chain = state.chain.then(async () => {
      await state.shard.run([...state.members.values()].map((member) => member.db));
    }).catch((error) => {
      this.options.log.error({ err: error, shard: state.shard.id }, 'litestream: cannot restart a shard');
    }).finally(() => {
      state.busy = false;
      if (state.members.size === 0) {
        const index = this.shards.indexOf(state);
        if (index >= 0) this.shards.splice(index, 1);
      }
    });
    return state.chain;
  }

  private onEvent(state: ShardState, dbPath: string, event: ShardEvent): void {
    const member = this.byPath.get(dbPath);
    if (!member || member.shard !== state) return;
    if (event === 'segment-start') this.lag.segmentStarted(member.cenvId);
    if (event === 'segment') this.lag.segmentWritten(member.cenvId);
    if (event === 'snapshot') {
      this.lag.snapshotWritten(member.cenvId);
      if (member.pending) {
        member.pending = false;
        const settle = member.settle;
        member.settle = null;
        if (settle) {
          clearTimeout(settle.timer);
          settle.resolve();
        }
      }
    }
  }

  private forget(member: Member): void {
    this.members.delete(member.cenvId);
    if (this.byPath.get(member.db.dbPath) === member) this.byPath.delete(member.db.dbPath);
    this.lag.forget(member.cenvId);
  }

  private fail(member: Member, error: Error): void {
    const settle = member.settle;
    member.settle = null;
    if (!settle) return;
    clearTimeout(settle.timer);
    settle.reject(error);
  }
}
