/**
 * The sandbox pool, in the main process: a few warm child processes that run all tenant
 * work, a FIFO queue in front of them, and the hard half of every deadline.
 *
 * A child serves its requests one at a time, in order, so the first request it holds is the
 * one running. That request's timer is armed when it reaches the front; if the child has not
 * answered by deadline + grace it is SIGKILLed (SQLite's WAL drops whatever it had not
 * committed), that one request fails with a 504, the requests queued behind it go back to
 * the front of the queue, and a fresh child takes its place. A child that dies on its own
 * (out of memory, a crash) costs only the request it was running the same way (503).
 */
import type { Principal } from '../auth/principal.ts';
import type { SqlRequest } from '../db/run-sql.ts';
import type { RequestContext } from '../db/tenant-db.ts';
import { TimeoutError, UnavailableError } from '../errors.ts';
import { fromWireError, type ChildReply, type ChildRequest } from './protocol.ts';
import { spawnChild } from './spawn.ts';
import { withDefaults, type Child, type Pending, type ResolvedOptions, type SandboxJob, type SandboxOptions } from './options.ts';

export type { SandboxJob, SandboxOptions };

/** How recently the running request must have started for another to be queued behind it. */
const PIPELINE_WINDOW_MS = 5;

export class SandboxPool {
  private readonly options: ResolvedOptions;
  private readonly children = new Set<Child>();
  private readonly queue: Pending[] = [];
  /** Time limits children reported, by op and cenv. */
  private readonly limits = new Map<string, number>();
  private nextId = 1;
  private failedStarts = 0;
  private closed = false;
  private started = false;
  private burstTimer: NodeJS.Timeout | null = null;
  /** Children replaced since start (killed at a deadline, or died). */
  restarts = 0;

  /**
   * Children start on the first request (or `warm()`).
   * @example const sandbox = new SandboxPool({ dataDir, defaults: { sqlTimeoutMs, maxRows, maxDbBytes }, hooks })
   */
  constructor(options: SandboxOptions) {
    this.options = withDefaults(options);
  }

  /** Starts the children now rather than on the first request (a server calls it at startup). */
  warm(): void {
    if (this.started || this.closed) return;
    this.started = true;
    for (let i = 0; i < this.options.size; i++) this.spawn();
  }

  /**
   * Runs one SQL API request; resolves with the reply's JSON text.
   * @example reply.type('application/json').send(await sandbox.sql(cenv.id, principal, { ip }, body))
   */
  sql(cenvId: string, principal: Principal, context: RequestContext, request: SqlRequest): Promise<string> {
    return this.run({ op: 'sql', cenvId, principal, context, payload: request, limitName: 'sql_timeout_ms', timeoutMs: this.options.defaults.sqlTimeoutMs });
  }

  /** Queues any op a child knows; resolves with its reply body, rejects with a named error. */
  run(job: SandboxJob): Promise<string> {
    if (this.closed) return Promise.reject(new UnavailableError('the server is shutting down'));
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new UnavailableError('the sandbox is overloaded; retry shortly'));
    }
    this.warm();
    const timeoutMs = this.limits.get(`${job.op}:${job.cenvId}`) ?? job.timeoutMs;
    return new Promise<string>((resolve, reject) => {
      const request: ChildRequest = {
        id: this.nextId++, op: job.op, cenvId: job.cenvId, principal: job.principal,
        context: job.context, timeoutMs, payload: job.payload,
      };
      this.queue.push({ job, request, resolve, reject, startedAt: 0 });
      this.pump();
    });
  }

  /** Makes every child close its connection to one cenv (its file was replaced or removed). */
  evict(cenvId: string): void {
    for (const child of this.children) if (child.ready && child.proc.connected) child.proc.send({ op: 'evict', cenvId });
  }

  /** Process ids of the live children (tests use it to see a replacement). */
  pids(): number[] {
    return [...this.children].map((c) => c.proc.pid!);
  }

  stats(): { children: number; busy: number; queued: number; restarts: number } {
    const busy = [...this.children].filter((c) => c.inflight.length > 0).length;
    return { children: this.children.size, busy, queued: this.queue.length, restarts: this.restarts };
  }

  /**
   * Fails whatever is waiting and stops the children: idle ones are let go (they close their
   * connections and exit), busy ones are killed (SQLite rolls back what they had not committed).
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.burstTimer) clearTimeout(this.burstTimer);
    const stopping = new UnavailableError('the server is shutting down');
    for (const pending of this.queue.splice(0)) pending.reject(stopping);
    await Promise.all([...this.children].map((child) => {
      if (child.proc.exitCode !== null || child.proc.signalCode !== null) return undefined;
      const exited = new Promise((resolve) => child.proc.once('exit', resolve));
      if (child.inflight.length === 0 && child.proc.connected) {
        this.letGo(child);
      } else {
        this.retire(child, stopping);
      }
      return exited;
    }));
  }

  private spawn(extra = false): void {
    const { dataDir, defaults, maxConnections, memoryMb, execArgv } = this.options;
    const proc = spawnChild({ dataDir, defaults, maxConnections, memoryMb, execArgv });
    const child: Child = { proc, ready: false, retired: false, inflight: [], timer: null, extra };
    this.children.add(child);
    child.proc.on('message', (message: ChildReply | { kind: 'ready' }) => this.onMessage(child, message));
    child.proc.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.proc.on('error', (error) => this.options.logger?.warn({ err: error }, 'sandbox child error'));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const young = Date.now() - PIPELINE_WINDOW_MS;
      let best: Child | null = null;
      for (const child of this.children) {
        const { inflight } = child;
        if (!child.ready || child.retired || !child.proc.connected || inflight.length >= this.options.pipeline) continue;
        if (inflight.length > 0 && inflight[0].startedAt < young) continue;
        if (!best || inflight.length < best.inflight.length) best = child;
      }
      if (!best) return this.watchForBurst();
      const pending = this.queue.shift()!;
      best.inflight.push(pending);
      best.proc.send(pending.request);
      if (best.inflight.length === 1) this.arm(best);
    }
  }

  /** Starts the hard deadline of the request at the front of `child`. */
  private arm(child: Child): void {
    const head = child.inflight[0];
    head.startedAt = Date.now();
    this.setTimer(child, head.request.timeoutMs + this.options.graceMs);
  }

  private setTimer(child: Child, ms: number): void {
    if (child.timer) clearTimeout(child.timer);
    child.timer = setTimeout(() => this.onDeadline(child), Math.max(0, ms));
  }

  private onMessage(child: Child, message: ChildReply | { kind: 'ready' }): void {
    if (message.kind === 'ready') {
      child.ready = true;
      this.failedStarts = 0;
      return this.pump();
    }
    const head = child.inflight[0];
    if (!head || head.request.id !== message.id) return;
    if (message.kind === 'deadline') {
      head.request.timeoutMs = message.timeoutMs;
      this.rememberLimit(`${head.job.op}:${head.job.cenvId}`, message.timeoutMs);
      return this.setTimer(child, head.startedAt + message.timeoutMs + this.options.graceMs - Date.now());
    }
    child.inflight.shift();
    if (child.timer) clearTimeout(child.timer);
    child.timer = null;
    if (child.inflight.length > 0) this.arm(child);
    if (message.kind === 'ok') {
      head.resolve(message.body);
      if (message.writes.length > 0) void this.options.hooks?.emit(head.job.cenvId, head.job.principal, message.writes);
    } else {
      head.reject(fromWireError(message.error));
    }
    this.pump();
    if (child.extra && child.inflight.length === 0 && this.queue.length === 0) this.letGo(child);
  }

  /** While requests wait, checks now and then whether every child is stuck (see burstAfterMs). */
  private watchForBurst(): void {
    if (this.burstTimer || this.closed) return;
    this.burstTimer = setTimeout(() => {
      this.burstTimer = null;
      if (this.queue.length === 0) return;
      const stuckSince = Date.now() - this.options.burstAfterMs;
      const children = [...this.children];
      const extras = children.filter((c) => c.extra).length;
      // A child still starting will take the queue soon; do not start another.
      const allStuck = children.every((c) => c.ready && c.inflight.length > 0 && c.inflight[0].startedAt < stuckSince);
      if (allStuck && extras < this.options.size) this.spawn(true);
      this.watchForBurst();
    }, Math.max(50, this.options.burstAfterMs / 4));
    this.burstTimer.unref();
  }

  /** Lets an idle child go: it closes its databases and exits (killed if it has not in 2 s). */
  private letGo(child: Child): void {
    child.retired = true;
    this.children.delete(child);
    child.proc.disconnect();
    setTimeout(() => child.proc.kill('SIGKILL'), 2000).unref();
  }

  private onDeadline(child: Child): void {
    const head = child.inflight[0];
    if (!head) return;
    this.retire(child, new TimeoutError(`the request ran longer than the ${head.request.timeoutMs} ms limit and was stopped; ` +
      `simplify it or raise ${head.job.limitName} in the cenv configuration`));
  }

  private onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    if (child.retired) return;
    const how = signal ?? `exit code ${code}`;
    this.options.logger?.warn({ pid: child.proc.pid, how }, 'sandbox child stopped unexpectedly');
    this.retire(child, new UnavailableError(`the sandbox process running this request stopped (${how}), most likely ` +
      `out of memory (limit ${this.options.memoryMb} MB per process); ask for less data at once`));
    if (child.ready) return;
    // It never started: do not let requests wait for children that cannot start either.
    this.failedStarts++;
    if (this.failedStarts >= 3 && ![...this.children].some((c) => c.ready)) {
      const broken = new UnavailableError('the sandbox cannot start its processes; the server log says why');
      for (const pending of this.queue.splice(0)) pending.reject(broken);
    }
  }

  /** Kills `child`, fails its running request with `error`, requeues the rest, replaces it. */
  private retire(child: Child, error: Error): void {
    if (child.retired) return;
    child.retired = true;
    this.children.delete(child);
    if (child.timer) clearTimeout(child.timer);
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
    const [head, ...waiting] = child.inflight;
    head?.reject(error);
    if (this.closed) {
      for (const pending of waiting) pending.reject(error);
      return;
    }
    this.queue.unshift(...waiting);
    this.restarts++;
    if (child.extra) return this.pump();
    // A child that cannot even start (broken install) must not be respawned in a hot loop.
    const delay = this.failedStarts === 0 ? 0 : Math.min(5000, 50 * 2 ** this.failedStarts);
    setTimeout(() => {
      if (!this.closed) this.spawn();
    }, delay).unref();
  }

  private rememberLimit(key: string, timeoutMs: number): void {
    if (this.limits.size >= 10_000) this.limits.clear();
    this.limits.set(key, timeoutMs);
  }
}
