/**
 * The sandbox's child processes as processes: starting them (with their IPC outbox), letting
 * an idle one go, killing one, respawning with a backoff when children cannot even start, and
 * noticing when one is gone. What a child's jobs mean — deadlines, replies, requeueing — is
 * the pool's (pool.ts); this file only keeps the set of processes right.
 */
import { spawnChild } from './spawn.ts';
import { Outbox } from './outbox.ts';
import type { Drains } from './drain.ts';
import type { ChildMessage, LogMessage, ParentMessage } from './protocol.ts';
import type { Child, ResolvedOptions } from './options.ts';

/** What the pool hears from its children. */
export interface ChildEvents {
  message(child: Child, message: ChildMessage): void;
  exit(child: Child, code: number | null, signal: NodeJS.Signals | null): void;
  unsendable(child: Child, message: ParentMessage, error: unknown): void;
}

export class Children {
  readonly all = new Set<Child>();
  /** Children that exited before they were ready, in a row (reset by a ready one). */
  failedStarts = 0;
  private readonly options: ResolvedOptions;
  private readonly drains: Drains;
  private readonly events: ChildEvents;
  private burstTimer: NodeJS.Timeout | null = null;

  constructor(options: ResolvedOptions, drains: Drains, events: ChildEvents) {
    this.options = options;
    this.drains = drains;
    this.events = events;
  }

  /** Starts one child; an `extra` one serves a burst and leaves when idle. */
  spawn(extra = false): Child {
    const { childFile, dataDir, server, maxConnections, memoryMb, execArgv } = this.options;
    const proc = spawnChild({ childFile, dataDir, server, maxConnections, memoryMb, execArgv });
    const child: Child = {
      proc, ready: false, retired: false, inflight: [], timer: null, timerAt: 0, extra, idleTimer: null, acks: new Set(),
      outbox: new Outbox(proc, (message, error) => this.events.unsendable(child, message, error)),
    };
    this.all.add(child);
    proc.on('message', (message: ChildMessage) => this.events.message(child, message));
    proc.on('exit', (code, signal) => this.events.exit(child, code, signal));
    proc.on('error', (error) => this.options.logger?.warn({ err: error }, 'sandbox child error'));
    return child;
  }

  /** Starts a replacement for a retired regular child, later when children keep failing to start. */
  replaceLater(isClosed: () => boolean): void {
    // A child that cannot even start (broken install) must not be respawned in a hot loop.
    const delay = this.failedStarts === 0 ? 0 : Math.min(5000, 50 * 2 ** this.failedStarts);
    setTimeout(() => {
      if (!isClosed()) this.spawn();
    }, delay).unref();
  }

  /** Lets an idle child go: it closes its databases and exits (killed if it has not in 2 s). */
  letGo(child: Child): void {
    if (child.retired || child.inflight.length > 0) return;
    this.remove(child);
    child.proc.disconnect();
    setTimeout(() => child.proc.kill('SIGKILL'), 2000).unref();
  }

  /** Takes `child` out and kills it; returns the jobs it held (the first was running). */
  kill(child: Child): Child['inflight'] {
    this.remove(child);
    if (child.timer) clearTimeout(child.timer);
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
    const jobs = child.inflight;
    child.inflight = [];
    return jobs;
  }

  /** Arms the timer after which an idle burst child leaves. */
  idleExtra(child: Child): void {
    if (!child.extra || child.inflight.length > 0 || child.retired) return;
    child.idleTimer = setTimeout(() => this.letGo(child), this.options.extraIdleMs);
    child.idleTimer.unref();
  }

  /** True when every child is ready and has been running the same job since before `since`. */
  allStuckSince(since: number): boolean {
    return [...this.all].every((c) => c.ready && c.inflight.length > 0 && c.inflight[0].startedAt < since);
  }

  get extras(): number {
    return [...this.all].filter((c) => c.extra).length;
  }

  /**
   * While `waiting()` says jobs that may run wait, checks now and then whether every child has
   * been stuck on one job for `burstAfterMs`, and then starts an extra child (up to maxExtra).
   */
  watchForBurst(waiting: () => boolean): void {
    if (this.burstTimer) return;
    this.burstTimer = setTimeout(() => {
      this.burstTimer = null;
      if (!waiting()) return;
      // A child still starting will take the queue soon; do not start another.
      if (this.allStuckSince(Date.now() - this.options.burstAfterMs) && this.extras < this.options.maxExtra) this.spawn(true);
      this.watchForBurst(waiting);
    }, Math.max(20, this.options.burstAfterMs / 4));
    this.burstTimer.unref();
  }

  stopWatching(): void {
    if (this.burstTimer) clearTimeout(this.burstTimer);
    this.burstTimer = null;
  }

  /** A child's log line, written with the request id it carries (`reqId`, as request logs have). */
  log(child: Child, message: LogMessage): void {
    const { level, requestId, cenvId, op, details } = message;
    this.options.logger?.[level]({ ...details, reqId: requestId, cenvId, op, childPid: child.proc.pid }, message.message);
  }

  private remove(child: Child): void {
    child.retired = true;
    this.all.delete(child);
    if (child.idleTimer) clearTimeout(child.idleTimer);
    // A gone process holds no file: the evictions it had not answered are done once it exits.
    if (child.acks.size === 0) return;
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) return this.drains.childGone(child.acks);
    child.proc.once('exit', () => this.drains.childGone(child.acks));
  }
}
