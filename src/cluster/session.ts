/**
 * This node's membership: an etcd lease kept alive by our own loop, and `/wce/nodes/{id}`
 * under it. Everything the node owns (its cenvs' owner keys) hangs on the same lease, so
 * when the node goes silent for a TTL, etcd deletes all of it at once and others take over.
 *
 * The node must stop serving *before* etcd lets anyone else in. So validity is computed
 * here, conservatively: a keepalive sent at t and answered with TTL s makes the lease valid
 * until t + s − margin on the monotonic clock (etcd can only have received it after t). A
 * node that was paused (SIGSTOP, a long GC, a VM freeze) sees on waking that the clock has
 * run past that point and refuses to serve before any network traffic happens.
 *
 * @example
 *   const session = new NodeSession(client, config, log);
 *   session.onLost(() => dropEverything());
 *   await session.start();
 *   if (!session.valid()) throw new UnavailableError('…');
 */
import { performance } from 'node:perf_hooks';
import type { Etcd3, Lease } from 'etcd3';
import { keys, type NodeRecord } from './keys.ts';
import { CALL_DEADLINE_MS } from './etcd.ts';
import { untilDone } from './retry.ts';

export interface SessionLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SessionOptions {
  nodeId: string;
  nodeUrl: string;
  ttlSeconds: number;
}

type State = 'starting' | 'active' | 'lost' | 'closed';

export class NodeSession {
  private lease: Lease | null = null;
  private id: string | null = null;
  private state: State = 'starting';
  private validUntil = 0;
  private draining = false;
  private drainingProbes = 0;
  private readonly probeWaiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly lostListeners: Array<() => void> = [];
  private readonly joinListeners: Array<() => void> = [];
  private readonly client: Etcd3;
  private readonly options: SessionOptions;
  private readonly log: SessionLogger;
  private readonly startedAt = new Date().toISOString();

  constructor(client: Etcd3, options: SessionOptions, log: SessionLogger) {
    this.client = client;
    this.options = options;
    this.log = log;
  }

  /** The current lease id (for keys put under it); throws when the node holds none. */
  get leaseId(): string {
    if (!this.id || !this.valid()) throw new Error('no valid lease');
    return this.id;
  }

  /** True while the lease is certainly alive in etcd. */
  valid(): boolean {
    return this.state === 'active' && performance.now() < this.validUntil;
  }

  /** Milliseconds of certain validity left (0 when none). */
  remainingMs(): number {
    return this.valid() ? Math.round(this.validUntil - performance.now()) : 0;
  }

  isDraining(): boolean {
    return this.draining;
  }

  /**
   * Readiness for the load balancer: null when ready, else why not. Probes answered "not
   * ready" while draining are counted (see `probesSeen`).
   */
  readiness(): string | null {
    if (!this.valid()) return 'this node holds no cluster lease (is etcd reachable?)';
    if (this.draining) {
      this.drainingProbes++;
      for (const wake of this.probeWaiters.splice(0)) wake();
      return 'this node is draining: its cenvs are being handed to other nodes';
    }
    return null;
  }

  /**
   * Resolves once `count` readiness probes have been answered "draining", or after `ms`:
   * by then a load balancer checking that often has stopped sending requests here.
   */
  async probesSeen(count: number, ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    const target = this.drainingProbes + count;
    while (this.drainingProbes < target && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - performance.now());
        this.probeWaiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  onLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  onJoined(listener: () => void): void {
    this.joinListeners.push(listener);
  }

  /** Grants the lease and registers the node; retries until etcd answers. */
  async start(): Promise<void> {
    await this.join();
  }

  /** Marks the node as draining in its record (placement skips it) or back. */
  async setDraining(draining: boolean): Promise<void> {
    this.draining = draining;
    if (this.valid()) await this.putRecord();
  }

  /** Revokes the lease: the node's record and every owner key under it vanish at once. */
  async close(): Promise<void> {
    this.state = 'closed';
    if (this.timer) clearTimeout(this.timer);
    const lease = this.lease;
    this.lease = null;
    if (lease) await lease.revoke().catch((error) => this.log.warn({ err: error }, 'cluster: could not revoke the lease; it expires on its own'));
  }

  private async join(): Promise<void> {
    await untilDone(() => this.grant(), () => this.state === 'closed', this.log, 'cannot join (etcd unreachable?)');
  }

  private async grant(): Promise<void> {
    const ttl = this.options.ttlSeconds;
    const sent = performance.now();
    const lease = this.client.lease(ttl, { autoKeepAlive: false });
    lease.on('lost', () => { /* handled by our own loop */ });
    const id = await lease.grant();
    await this.revokePreviousIncarnation(id);
    this.lease = lease;
    this.id = id;
    this.validUntil = sent + ttl * 1000 - this.margin();
    this.state = 'active';
    await this.putRecord();
    this.log.info({ node: this.options.nodeId, ttl }, 'cluster: joined');
    this.schedule(this.interval());
    for (const listener of this.joinListeners) listener();
  }

  /**
   * A record of this node under another lease is a previous run of this node (crashed, or
   * killed): revoking its lease frees the cenvs it held now instead of a TTL from now.
   */
  private async revokePreviousIncarnation(current: string): Promise<void> {
    const response = await this.client.get(keys.node(this.options.nodeId)).exec();
    const old = response.kvs[0];
    if (!old || old.lease === '0' || old.lease === current) return;
    this.log.info({ node: this.options.nodeId }, 'cluster: revoking the lease of this node\'s previous run');
    await this.client.leaseClient.leaseRevoke({ ID: old.lease }).catch(() => { /* already gone */ });
  }

  private async putRecord(): Promise<void> {
    const record: NodeRecord = { id: this.options.nodeId, url: this.options.nodeUrl, startedAt: this.startedAt, draining: this.draining };
    await this.client.put(keys.node(this.options.nodeId)).value(JSON.stringify(record)).lease(this.leaseId).exec();
  }

  private margin(): number {
    return Math.min(1000, this.options.ttlSeconds * 100);
  }

  private interval(): number {
    return (this.options.ttlSeconds * 1000) / 3;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    // Whichever comes first: the next keepalive, or the moment validity runs out.
    const untilInvalid = Math.max(0, this.validUntil - performance.now());
    if (untilInvalid <= ms) {
      this.timer = setTimeout(() => this.tick(), untilInvalid);
    } else {
      this.timer = setTimeout(() => this.tick(), ms);
    }
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.state !== 'active') return;
    if (!this.valid()) return this.lose('the lease may have expired (no keepalive answered in time)');
    const sent = performance.now();
    try {
      const response = await this.lease!.keepaliveOnce({ deadline: Date.now() + Math.min(CALL_DEADLINE_MS, this.remainingMs()) });
      if (this.state !== 'active') return;
      const ttl = Number(response.TTL);
      if (!(ttl > 0)) return this.lose('etcd says the lease has expired');
      this.validUntil = Math.max(this.validUntil, sent + ttl * 1000 - this.margin());
      this.schedule(this.interval());
    } catch (error) {
      if (this.state !== 'active') return;
      if (!this.valid()) return this.lose('the lease may have expired (keepalives failing)');
      this.log.warn({ err: error }, 'cluster: keepalive failed; retrying');
      this.schedule(500);
    }
  }

  private lose(reason: string): void {
    if (this.state !== 'active') return;
    this.state = 'lost';
    if (this.timer) clearTimeout(this.timer);
    this.log.error({ node: this.options.nodeId, reason }, 'cluster: lease lost; this node stops serving its cenvs');
    this.lease?.release();
    this.lease = null;
    this.id = null;
    for (const listener of this.lostListeners) {
      try {
        listener();
      } catch (error) {
        this.log.error({ err: error }, 'cluster: a lease-loss handler failed');
      }
    }
    void this.join();
  }
}
