/**
 * The cenvs this node serves, and the claims behind them.
 *
 * A cenv is served here only in state `serving`: claimed in etcd under this node's lease
 * (its fencing token), its file current (used as is or restored from the authoritative
 * replica), replicated to a fresh replica under its own token, and that replica recorded as
 * the lineage. Until all of that is done the cenv is `opening` and requests for it wait; if
 * any step fails the claim is given back and they get 503.
 *
 * Every request served here is admitted against the entry (token, in-flight count, its
 * reply), so the reply can be checked before it leaves (`stillOwns`) and so a handoff can
 * wait for in-flight work, close streams, and never cut off an answer in the middle.
 * Giving cenvs up (handoff, idle close, lease loss) is in handoff.ts.
 *
 * @example
 *   const other = await ownership.acquire(id);   // null: now serving here; else the owner to forward to
 *   ownership.admit(id, request, reply);
 *   if (!ownership.stillOwns(request)) throw new UnavailableError('…');
 */
import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Etcd3 } from 'etcd3';
import { UnavailableError } from '../errors.ts';
import { claim, recordLineage, releaseClaim } from './claims.ts';
import type { LineageRecord, OwnerRecord } from './keys.ts';
import type { LocalCopies } from './local-copy.ts';
import type { Replicator } from './litestream/replicator.ts';
import type { NodeSession, SessionLogger } from './session.ts';
import type { ClusterView, OwnerEntry } from './view.ts';

/** Runs `fn` while nothing else uses the cenv's file (AppDeps.exclusive). */
export type Exclusive = <T>(cenvId: string, fn: () => T | Promise<T>) => Promise<T>;

export interface Serving {
  state: 'serving' | 'releasing';
  token: string;
  lastUsed: number;
  /** Admitted requests that have not finished. */
  inflight: number;
  replies: Set<FastifyReply>;
  /** Waiters for `inflight` to reach 0. */
  quiet: Array<() => void>;
  done: Promise<void> | null;
}

interface Pending { state: 'opening' | 'dropping'; token: string | null; done: Promise<void> }

export type Entry = Serving | Pending;

export interface OwnershipParts {
  client: Etcd3;
  session: NodeSession;
  view: ClusterView;
  replicator: Replicator;
  copies: LocalCopies;
  self: OwnerRecord;
  log: SessionLogger;
}

export class Ownership {
  readonly entries = new Map<string, Entry>();
  private readonly admitted = new WeakMap<FastifyRequest, { id: string; token: string }>();
  private exclusiveFn: Exclusive | null = null;
  private readonly drains = new Map<string, Promise<void>>();
  readonly parts: OwnershipParts;

  constructor(parts: OwnershipParts) {
    this.parts = parts;
  }

  /** Connects the drain of the HTTP layer's pools and sandbox (available once deps exist). */
  attach(exclusive: Exclusive): void {
    this.exclusiveFn = exclusive;
  }

  /** `AppDeps.exclusive`, one at a time per cenv (the sandbox refuses a second drain). */
  exclusive<T>(id: string, fn: () => T | Promise<T>): Promise<T> {
    const exclusive = this.exclusiveFn;
    if (!exclusive) throw new Error('ownership is not attached to the server yet');
    const previous = this.drains.get(id) ?? Promise.resolve();
    const run = previous.then(() => exclusive(id, fn));
    const tail = run.then(() => undefined, () => undefined);
    this.drains.set(id, tail);
    void tail.then(() => { if (this.drains.get(id) === tail) this.drains.delete(id); });
    return run;
  }

  /**
   * Claims `id` and opens it here. Null once it is served here; the owner's entry when
   * another node holds it (null owner: it was released meanwhile, try again).
   */
  async acquire(id: string): Promise<OwnerEntry | null | 'retry'> {
    const { client, session, self } = this.parts;
    if (!session.valid() || session.isDraining()) throw new UnavailableError('this node is not taking cenvs right now; retry');
    if (this.entries.has(id)) return null;
    let settle!: () => void;
    const pending: Pending = { state: 'opening', token: null, done: new Promise((resolve) => { settle = resolve; }) };
    this.entries.set(id, pending);
    try {
      const result = await claim(client, id, self, session.leaseId);
      if (!('token' in result)) {
        this.entries.delete(id);
        const owner = result.owner;
        if (owner && owner.node !== self.node) return owner;
        // A claim of ours this node no longer tracks (a release whose delete failed): drop it.
        if (owner && owner.lease === session.leaseId) await releaseClaim(client, id, owner.token);
        return 'retry';
      }
      pending.token = result.token;
      this.parts.view.apply(result.kv);
      await this.open(id, result.token, result.lineage);
      return null;
    } catch (error) {
      if (this.entries.get(id) === pending) this.entries.delete(id);
      if (pending.token) await this.giveBack(id, pending.token);
      if ((error as { code?: string }).code === 'WCE_ERR_UNAVAILABLE') throw error;
      this.parts.log.error({ err: error, cenvId: id }, 'cluster: cannot open a cenv here');
      throw new UnavailableError('this cenv cannot be opened right now (its replica is being restored or is unreachable); retry');
    } finally {
      settle();
    }
  }

  /** Marks a cenv whose claim was made with its creation (registry.ts) as opening here. */
  created(id: string, token: string): void {
    this.entries.set(id, { state: 'opening', token, done: Promise.resolve() });
  }

  /** The new cenv's file exists: replicate it, then record the lineage and `extra` puts. */
  async finishCreate(id: string, extra: Array<{ key: string; value: string }>): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry?.token || entry.state !== 'opening') throw new Error(`cenv ${id} is not being created here`);
    await this.replicate(id, entry.token, extra);
  }

  /** Undoes a creation that failed half-way. */
  async abandon(id: string): Promise<void> {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    if (entry?.token) await this.giveBack(id, entry.token);
  }

  /** Counts a request served here against the cenv's entry (must be `serving`). */
  admit(id: string, entry: Serving, request: FastifyRequest, reply: FastifyReply): void {
    entry.lastUsed = Date.now();
    this.admitted.set(request, { id, token: entry.token });
    // A client that left while the request waited (for the cenv to open) has no 'close' to come.
    if (reply.raw.destroyed) return;
    entry.inflight++;
    entry.replies.add(reply);
    reply.raw.once('close', () => {
      entry.replies.delete(reply);
      entry.inflight--;
      entry.lastUsed = Date.now();
      if (entry.inflight === 0) for (const wake of entry.quiet.splice(0)) wake();
    });
  }

  /** False when a request admitted here may no longer be answered (claim lost or moved). */
  stillOwns(request: FastifyRequest): boolean {
    const admitted = this.admitted.get(request);
    if (!admitted) return true;
    const entry = this.entries.get(admitted.id);
    return this.parts.session.valid() && entry !== undefined && entry.token === admitted.token && (entry.state === 'serving' || entry.state === 'releasing');
  }

  private async open(id: string, token: string, lineage: LineageRecord | null): Promise<void> {
    const { copies } = this.parts;
    if (!lineage) throw new Error(`cenv ${id} has no recorded replica to open from`);
    const started = performance.now();
    const restore = !copies.isCurrent(id, lineage.token);
    if (restore) {
      const restored = await copies.fetch(id, lineage.token);
      try {
        await this.exclusive(id, () => copies.install(id, restored));
      } catch (error) {
        copies.discard(restored);
        throw error;
      }
    } else {
      // Nothing of an earlier period here may answer from a cache (settings, sessions).
      await this.exclusive(id, () => undefined);
    }
    const ready = performance.now();
    await this.replicate(id, token, []);
    this.parts.log.info({
      cenvId: id, token, from: lineage.token, restored: restore,
      restoreMs: Math.round(ready - started), replicateMs: Math.round(performance.now() - ready),
    }, 'cluster: cenv opened here');
  }

  /** Replicates under `token`, records it as the lineage, and starts serving. */
  private async replicate(id: string, token: string, extra: Array<{ key: string; value: string }>): Promise<void> {
    const { client, session, replicator, copies, self, view } = this.parts;
    await replicator.add(id, copies.file(id), token);
    const lineage: LineageRecord = { token, node: self.node, at: new Date().toISOString() };
    if (!(await recordLineage(client, id, token, session.leaseId, lineage, extra))) {
      throw new UnavailableError('this node lost its claim on the cenv while opening it; retry');
    }
    copies.mark(id, token);
    view.lineage.set(id, lineage);
    this.entries.set(id, { state: 'serving', token, lastUsed: Date.now(), inflight: 0, replies: new Set(), quiet: [], done: null });
  }

  /**
   * `AppDeps.exclusive` for the rest of the server (import, delete): when this node serves the
   * cenv, replication stops before `fn` (final sync of the old file) and starts again after it
   * with a new generation under the same token, so the replica follows a replaced file.
   */
  async replacing<T>(id: string, fn: () => T | Promise<T>): Promise<T> {
    const entry = this.entries.get(id);
    if (!entry || !('replies' in entry)) return this.exclusive(id, fn);
    const { replicator, copies } = this.parts;
    return this.exclusive(id, async () => {
      await replicator.remove(id);
      try {
        return await fn();
      } finally {
        if (this.entries.get(id) === entry && this.parts.session.valid()) await replicator.add(id, copies.file(id), entry.token);
      }
    });
  }

  /** Stops replicating and deletes the claim; errors are logged (the lease covers the rest). */
  async giveBack(id: string, token: string): Promise<void> {
    await this.parts.replicator.remove(id).catch((error) => this.parts.log.warn({ err: error, cenvId: id }, 'cluster: stopping replication failed'));
    await releaseClaim(this.parts.client, id, token).catch((error) => this.parts.log.warn({ err: error, cenvId: id }, 'cluster: cannot delete a claim; it ends with the lease'));
  }
}
