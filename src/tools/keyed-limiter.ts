/**
 * "At most `max` per key in a window", on a counter store (counter-store.ts): the mechanism
 * behind the per-minute rate limits, the login throttle and the limit on creating cenvs. A
 * slot is taken *before* the work it guards (so parallel attempts are counted, not only
 * finished ones) and may be given back when the attempt turns out fine (a successful login).
 * A refused attempt is not counted, so refusals never extend anyone's wait.
 *
 * @example
 *   const throttle = new KeyedLimiter(store, 'login', { max: 10, windowMs: 600_000 });
 *   const verdict = await throttle.take(`${cenvId} ${ip}`);   // ok, remaining, resetSeconds
 *   if (!verdict.ok) throw tooMany(verdict.resetSeconds);
 *   if (passwordOk) await throttle.refund(`${cenvId} ${ip}`);
 */
import type { CounterStore } from './counter-store.ts';

export interface LimiterOptions {
  /** Events allowed per key and window when `take` is not given its own; 0 turns the limit off. */
  max: number;
  windowMs: number;
}

/** The answer to one `take`. `limit` 0 means no limit applied. */
export interface Verdict { ok: boolean; limit: number; remaining: number; resetSeconds: number }

const UNLIMITED: Verdict = Object.freeze({ ok: true, limit: 0, remaining: 0, resetSeconds: 0 });

export class KeyedLimiter {
  readonly max: number;
  readonly windowMs: number;
  private readonly store: CounterStore;
  private readonly namespace: string;

  constructor(store: CounterStore, namespace: string, options: LimiterOptions) {
    this.store = store;
    this.namespace = namespace;
    this.max = options.max;
    this.windowMs = options.windowMs;
  }

  /** Takes one slot for `key` under `max` (default: the limiter's); refused when none is left. */
  async take(key: string, max = this.max): Promise<Verdict> {
    if (max === 0) return UNLIMITED;
    const { count, resetMs } = await this.store.increment(this.namespace, key, this.windowMs);
    const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
    if (count > max) {
      await this.store.decrement(this.namespace, key);
      return { ok: false, limit: max, remaining: 0, resetSeconds };
    }
    return { ok: true, limit: max, remaining: max - count, resetSeconds };
  }

  /** Gives one slot back (the attempt it guarded should not count). */
  async refund(key: string): Promise<void> {
    await this.store.decrement(this.namespace, key);
  }
}
