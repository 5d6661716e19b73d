/**
 * The sandbox pool, in the main process: a few warm child processes that run all tenant
 * work (SQL, endpoint runs, page renders), the fair waiting room in front of them
 * (scheduler.ts), and the hard half of every deadline.
 *
 * A child serves its jobs one at a time, in order, so the first job it holds is the one
 * running. That job's timer is armed when it reaches the front; if the child has not
 * answered by deadline + grace it is SIGKILLed (SQLite's WAL drops whatever it had not
 * committed), that one job fails with a 504, the jobs queued behind it go back to the front
 * of their queue, and a fresh child takes its place. A child that dies on its own (out of
 * memory, a crash) costs only the job it was running the same way (503).
 *
 * The pool returns each reply, effects included, to its caller; it fires no hooks itself.
 */
import { BadRequestError, TimeoutError, UnavailableError } from '../errors.ts';
import { fromWireError, OP_TIME_LIMITS, type ChildMessage, type OpName, type ParentMessage, type ReplyOf } from './protocol.ts';
import { FairQueue } from './scheduler.ts';
import { Drains, type DrainChild } from './drain.ts';
import { Children } from './children.ts';
import { mayStart } from './eligibility.ts';
import { withDefaults, type Child, type Pending, type ResolvedOptions, type SandboxJob, type SandboxOptions } from './options.ts';

export type { SandboxJob, SandboxOptions };

/** How recently the running job must have started for another of its cenv to be queued behind it. */
const PIPELINE_WINDOW_MS = 5;

export class SandboxPool {
  private readonly options: ResolvedOptions;
  private readonly processes: Children;
  private readonly queue = new FairQueue<Pending>();
  /** Jobs handed to children and not answered yet, by cenv. */
  private readonly running = new Map<string, number>();
  /** Cenvs being drained (no new jobs start) and every cenv's generation. */
  private readonly drains = new Drains();
  private nextId = 1;
  private closed = false;
  private started = false;
  /** Children replaced since start (killed at a deadline, or died). */
  restarts = 0;
  /** Jobs stopped at their hard deadline since start. */
  timeouts = 0;

  /**
   * Children start on the first job (or `warm()`).
   * @example const sandbox = new SandboxPool({ dataDir, server: serverSettings(process.env) })
   */
  constructor(options: SandboxOptions) {
    this.options = withDefaults(options);
    this.processes = new Children(this.options, this.drains, {
      message: (child, message) => this.onMessage(child, message),
      exit: (child, code, signal) => this.onExit(child, code, signal),
      unsendable: (child, message, error) => this.unsendable(child, message, error),
    });
  }

  private get children(): Set<Child> {
    return this.processes.all;
  }

  /** Starts the children now rather than on the first job (a server calls it at startup). */
  warm(): void {
    if (this.started || this.closed) return;
    this.started = true;
    for (let i = 0; i < this.options.size; i++) this.processes.spawn();
  }

  /**
   * Queues one job; resolves with the op's reply (effects included), rejects with a named error.
   * @example const reply = await sandbox.run({ op: 'sql', cenvId, principal, context, payload, timeoutMs, ipKey: null, caps })
   */
  run<K extends OpName>(job: SandboxJob<K>): Promise<ReplyOf<K>> {
    if (this.closed) return Promise.reject(new UnavailableError('the server is shutting down'));
    if (this.queue.size >= this.options.maxQueue) return Promise.reject(new UnavailableError('the sandbox is overloaded; retry shortly'));
    this.warm();
    return new Promise<ReplyOf<K>>((resolve, reject) => {
      const pending: Pending = {
        cenvId: job.cenvId, ipKey: job.ipKey, job: job as SandboxJob, startedAt: 0,
        resolve: resolve as (reply: ReplyOf<OpName>) => void, reject,
        message: {
          kind: 'job', id: this.nextId++, op: job.op, cenvId: job.cenvId, generation: 0,
          principal: job.principal, context: job.context, timeoutMs: job.timeoutMs, payload: job.payload,
          ...(job.capture ? { capture: true } : {}),
        },
      };
      this.queue.admit(pending, job.caps);
      this.queue.push(pending);
      this.pump();
    });
  }

  /**
   * Stops starting jobs of `cenvId`, waits for its running ones, then makes every child close
   * its connection and waits until each has (drain.ts). Jobs that arrive meanwhile wait; call
   * the returned function once the file is replaced (or removed) to let them run.
   * @example const resume = await sandbox.drain(id); try { swapFile(); } finally { resume(); }
   */
  async drain(cenvId: string): Promise<() => void> {
    const children: Array<DrainChild & { child: Child }> = [...this.children].map((child) => ({
      child,
      quiet: !child.ready || child.retired || !child.proc.connected,
      evict: (id, generation, ack) => {
        child.acks.add(ack);
        child.outbox.push({ kind: 'evict', cenvId: id, generation, ack });
      },
    }));
    const end = await this.drains.drain(cenvId, () => this.running.get(cenvId) ?? 0, children,
      (silent) => this.retire((silent as DrainChild & { child: Child }).child, new UnavailableError('the sandbox process stopped answering')));
    return () => {
      end();
      this.pump();
    };
  }

  /** Process ids of the live children (tests use it to see a replacement). */
  pids(): number[] {
    return [...this.children].map((c) => c.proc.pid!);
  }

  stats(): { children: number; extra: number; busy: number; queued: number; restarts: number; timeouts: number } {
    const all = [...this.children];
    return {
      children: all.length, extra: all.filter((c) => c.extra).length, busy: all.filter((c) => c.inflight.length > 0).length,
      queued: this.queue.size, restarts: this.restarts, timeouts: this.timeouts,
    };
  }

  /**
   * Fails whatever is waiting and stops the children: idle ones are let go (they close their
   * connections and exit), busy ones are killed (SQLite rolls back what they had not committed).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.processes.stopWatching();
    const stopping = new UnavailableError('the server is shutting down');
    for (const pending of this.queue.takeAll()) this.fail(pending, stopping);
    await Promise.all([...this.children].map((child) => {
      if (child.proc.exitCode !== null || child.proc.signalCode !== null) return undefined;
      const exited = new Promise((resolve) => child.proc.once('exit', resolve));
      if (child.inflight.length === 0 && child.proc.connected) this.processes.letGo(child);
      else this.retire(child, stopping);
      return exited;
    }));
  }

  /** See eligibility.ts. */
  private readonly eligible = (job: Pending): boolean => mayStart(job, this.children, this.drains, this.options.size);

  private pump(): void {
    while (this.queue.size > 0) {
      let moved = false;
      const young = Date.now() - PIPELINE_WINDOW_MS;
      for (const child of this.children) {
        if (!child.ready || child.retired || !child.proc.connected) continue;
        const { inflight } = child;
        let next: Pending | undefined;
        if (inflight.length === 0) {
          next = this.queue.next(this.eligible);
        } else if (inflight.length < this.options.pipeline && inflight[0].startedAt >= young && !this.drains.isDraining(inflight[0].cenvId) &&
            !this.queue.othersWaiting(inflight[0].cenvId, this.eligible)) {
          // Only while no other cenv waits: a child that keeps taking one cenv's jobs never
          // empties, and the next cenv in rotation would wait for a burst child instead.
          next = this.queue.nextOf(inflight[0].cenvId);
        }
        if (next && this.dispatch(child, next)) moved = true;
        if (this.queue.size === 0) break;
      }
      if (!moved) break;
    }
    if (this.queue.hasEligible(this.eligible) && !this.closed) this.processes.watchForBurst(() => this.queue.hasEligible(this.eligible));
  }

  /** Hands one job to a child (it is written at the end of this event-loop turn). */
  private dispatch(child: Child, pending: Pending): boolean {
    pending.message.generation = this.drains.generation(pending.cenvId);
    child.outbox.push(pending.message);
    if (child.idleTimer) clearTimeout(child.idleTimer);
    child.idleTimer = null;
    child.inflight.push(pending);
    this.running.set(pending.cenvId, (this.running.get(pending.cenvId) ?? 0) + 1);
    if (child.inflight.length === 1) this.arm(child);
    return true;
  }

  /**
   * Starts the hard deadline of the job at the front of `child`. One timer per child follows
   * the front job: it is moved only when the new front's deadline comes sooner, and when it
   * fires for a job that already answered it moves on to the current one. Most jobs answer
   * in microseconds, so a timer set and cleared per job was a measurable share of the main
   * process's work per request.
   */
  private arm(child: Child): void {
    const head = child.inflight[0];
    head.startedAt = Date.now();
    this.watch(child, this.deadlineOf(head));
  }

  /** When a job at the front is stopped: its time limit plus the grace, from when it got there. */
  private deadlineOf(job: Pending): number {
    return job.startedAt + job.message.timeoutMs + this.options.graceMs;
  }

  private watch(child: Child, at: number): void {
    if (child.timer && child.timerAt <= at) return;
    if (child.timer) clearTimeout(child.timer);
    child.timerAt = at;
    child.timer = setTimeout(() => this.onWatch(child), Math.max(0, at - Date.now()));
    child.timer.unref();
  }

  private onWatch(child: Child): void {
    child.timer = null;
    const head = child.inflight[0];
    if (!head) return;
    const deadline = this.deadlineOf(head);
    if (Date.now() >= deadline) this.onDeadline(child);
    else this.watch(child, deadline);
  }

  private onMessage(child: Child, message: ChildMessage): void {
    if (message.kind === 'ready') {
      child.ready = true;
      this.processes.failedStarts = 0;
      return this.pump();
    }
    if (message.kind === 'log') return this.processes.log(child, message);
    if (message.kind === 'evicted') {
      child.acks.delete(message.ack);
      return this.drains.evicted(message.ack);
    }
    const head = child.inflight[0];
    if (!head || head.message.id !== message.id) return;
    child.inflight.shift();
    child.outbox.answered();
    if (child.inflight.length > 0) this.arm(child);
    this.settle(head);
    if (message.kind === 'reply') head.resolve(message.reply as ReplyOf<OpName>);
    else head.reject(fromWireError(message.error));
    this.pump();
    this.processes.idleExtra(child);
  }

  /**
   * A job that could not even be sent (its payload cannot be serialised, e.g. nested too
   * deeply for the encoder) fails alone and the child stays free. Route schemas refuse such
   * input first; this is the backstop.
   */
  private unsendable(child: Child, message: ParentMessage, error: unknown): void {
    if (message.kind !== 'job') return;
    const at = child.inflight.findIndex((p) => p.message.id === message.id);
    if (at < 0) return;
    const [pending] = child.inflight.splice(at, 1);
    if (at === 0 && child.inflight.length > 0) this.arm(child);
    this.settle(pending);
    pending.reject(error instanceof RangeError
      ? new BadRequestError('the request is nested too deeply to process')
      : new UnavailableError('the request could not be handed to the sandbox; retry'));
  }

  /** Bookkeeping when a job that reached a child ends (answered, timed out or its child died). */
  private settle(pending: Pending): void {
    this.queue.done(pending);
    this.leaveChild(pending.cenvId);
  }

  /** One job of `cenvId` left a child; a drain waiting for the last one goes on. */
  private leaveChild(cenvId: string): void {
    const left = (this.running.get(cenvId) ?? 1) - 1;
    if (left > 0) {
      this.running.set(cenvId, left);
      return;
    }
    this.running.delete(cenvId);
    this.drains.jobLeft(cenvId);
  }

  /** Fails a job that never reached a child. */
  private fail(pending: Pending, error: Error): void {
    this.queue.done(pending);
    pending.reject(error);
  }

  private onDeadline(child: Child): void {
    const head = child.inflight[0];
    if (!head) return;
    this.timeouts++;
    const setting = OP_TIME_LIMITS[head.message.op];
    this.retire(child, new TimeoutError(`the request ran longer than the ${head.message.timeoutMs} ms limit and was stopped; ` +
      `simplify it or raise ${setting} in the cenv configuration`));
  }

  private onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    if (child.retired) return;
    const how = signal ?? `exit code ${code}`;
    this.options.logger?.warn({ pid: child.proc.pid, how }, 'sandbox child stopped unexpectedly');
    this.retire(child, new UnavailableError(`the sandbox process running this request stopped (${how}), most likely ` +
      `out of memory (limit ${this.options.memoryMb} MB per process); ask for less data at once`));
    if (child.ready) return;
    // It never started: do not let jobs wait for children that cannot start either.
    this.processes.failedStarts++;
    if (this.processes.failedStarts >= 3 && ![...this.children].some((c) => c.ready)) {
      const broken = new UnavailableError('the sandbox cannot start its processes; the server log says why');
      for (const pending of this.queue.takeAll()) this.fail(pending, broken);
    }
  }

  /** Kills `child`, fails its running job with `error`, requeues the rest, replaces it. */
  private retire(child: Child, error: Error): void {
    if (child.retired) return;
    const [head, ...waiting] = this.processes.kill(child);
    if (head) {
      this.settle(head);
      head.reject(error);
    }
    for (const pending of waiting.reverse()) {
      // Not started: back to the front of its queue (still admitted), or failed at shutdown.
      this.leaveChild(pending.cenvId);
      if (this.closed) this.fail(pending, error);
      else this.queue.unshift(pending);
    }
    if (this.closed) return;
    this.restarts++;
    if (!child.extra) this.processes.replaceLater(() => this.closed);
    this.pump();
  }
}
