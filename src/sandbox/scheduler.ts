/**
 * The waiting room of the sandbox: one FIFO queue per cenv, served in rotation, with caps on
 * what one cenv and one anonymous address may have running or waiting at once.
 *
 * Why: with one shared FIFO, twelve never-ending queries sent to cenv A made cenv B's owner
 * wait seconds for `SELECT 1`. Rotation means B's job is next as soon as any child is free,
 * however many of A's are queued; the caps bound how much of the pool and of memory one
 * tenant (or one address, which is all an anonymous flood has) can hold.
 *
 * @example
 *   const queue = new FairQueue<Job>();
 *   queue.admit(job, { perCenv: 64, perIp: 8 });   // throws 503/429 past a cap
 *   queue.push(job);
 *   const next = queue.next((job) => pool.mayStart(job));
 */
import { RateLimitedError, UnavailableError } from '../errors.ts';

export interface Queueable {
  cenvId: string;
  /** The client address of an anonymous caller (capped), or null for a signed-in one. */
  ipKey: string | null;
}

export interface Caps {
  perCenv: number;
  perIp: number;
  /** Children the cenv's jobs may occupy at once (`connections_per_cenv`); default: every regular one. */
  connections?: number;
}

export class FairQueue<T extends Queueable> {
  /** Waiting jobs by cenv; the Map's order is the rotation order. */
  private readonly queues = new Map<string, T[]>();
  /** Jobs admitted and not yet done (running or waiting), by cenv and by address. */
  private readonly cenvLoad = new Map<string, number>();
  private readonly ipLoad = new Map<string, number>();
  private waiting = 0;

  /** How many jobs wait in all. */
  get size(): number {
    return this.waiting;
  }

  /** Jobs of `cenvId` running or waiting. */
  load(cenvId: string): number {
    return this.cenvLoad.get(cenvId) ?? 0;
  }

  /**
   * Counts `job` against its caps, or throws when one is reached: 503 for the cenv (it is
   * busy; retry), 429 for an address (it is sending too much).
   */
  admit(job: T, caps: Caps): void {
    const cenv = this.load(job.cenvId);
    if (cenv >= caps.perCenv) {
      throw new UnavailableError(`this cenv already has ${cenv} requests running or waiting (sandbox_max_jobs_per_cenv); retry shortly`);
    }
    if (job.ipKey !== null) {
      const ip = this.ipLoad.get(job.ipKey) ?? 0;
      if (ip >= caps.perIp) {
        throw new RateLimitedError(`too many requests from this address are running or waiting (sandbox_max_jobs_per_ip is ${caps.perIp}); wait for them or log in`);
      }
      this.ipLoad.set(job.ipKey, ip + 1);
    }
    this.cenvLoad.set(job.cenvId, cenv + 1);
  }

  /** Releases what `admit` counted (the job finished, failed or was refused later). */
  done(job: T): void {
    decrement(this.cenvLoad, job.cenvId);
    if (job.ipKey !== null) decrement(this.ipLoad, job.ipKey);
  }

  /** Adds an admitted job at the back of its cenv's queue. */
  push(job: T): void {
    const queue = this.queues.get(job.cenvId);
    if (queue) queue.push(job);
    else this.queues.set(job.cenvId, [job]);
    this.waiting++;
  }

  /** Puts a job back at the front of its cenv's queue (its child was killed before running it). */
  unshift(job: T): void {
    const queue = this.queues.get(job.cenvId);
    if (queue) queue.unshift(job);
    else this.queues.set(job.cenvId, [job]);
    this.waiting++;
  }

  /**
   * The next job in rotation among cenvs whose first waiting job `eligible` accepts; that
   * cenv moves to the back of the rotation. (Within a cenv jobs stay in order.)
   */
  next(eligible: (job: T) => boolean): T | undefined {
    for (const [cenvId, queue] of this.queues) {
      if (!eligible(queue[0])) continue;
      const job = queue.shift()!;
      this.queues.delete(cenvId);
      if (queue.length > 0) this.queues.set(cenvId, queue);
      this.waiting--;
      return job;
    }
    return undefined;
  }

  /** The next job of one cenv, out of rotation (to follow its own running job in a child). */
  nextOf(cenvId: string): T | undefined {
    const queue = this.queues.get(cenvId);
    if (!queue) return undefined;
    const job = queue.shift()!;
    if (queue.length === 0) this.queues.delete(cenvId);
    this.waiting--;
    return job;
  }

  /** True when a cenv other than `cenvId` has a first waiting job that `eligible` accepts. */
  othersWaiting(cenvId: string, eligible: (job: T) => boolean): boolean {
    for (const [id, queue] of this.queues) if (id !== cenvId && eligible(queue[0])) return true;
    return false;
  }

  /** True when some cenv's first waiting job is one `eligible` accepts. */
  hasEligible(eligible: (job: T) => boolean): boolean {
    for (const queue of this.queues.values()) if (eligible(queue[0])) return true;
    return false;
  }

  /** Removes and returns every waiting job (shutdown). */
  takeAll(): T[] {
    const all = [...this.queues.values()].flat();
    this.queues.clear();
    this.waiting = 0;
    return all;
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}
