/**
 * Counts events per key in a fixed window and says when a key has had too many: the
 * mechanism behind the login throttle and the per-address limit on creating cenvs. A slot is
 * taken *before* the work it guards (so parallel attempts are counted, not only finished
 * ones) and may be given back when the attempt turns out fine (a successful login).
 *
 * Memory is bounded: at most `maxKeys` keys are tracked, the oldest window forgotten first.
 *
 * @example
 *   const limiter = new KeyedLimiter({ max: 10, windowMs: 600_000 });
 *   const wait = limiter.take(`${cenvId} ${ip}`); // 0 → go ahead; else seconds to wait
 *   if (ok) limiter.refund(`${cenvId} ${ip}`);
 */
export interface LimiterOptions {
  /** Events allowed per key and window; 0 turns the limiter off. */
  max: number;
  windowMs: number;
  maxKeys?: number;
}

interface Window { count: number; start: number }

export class KeyedLimiter {
  private readonly windows = new Map<string, Window>();
  readonly max: number;
  readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(options: LimiterOptions) {
    this.max = options.max;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes one slot for `key`; returns 0 when taken, else the seconds until a slot frees. */
  take(key: string, now = Date.now()): number {
    if (this.max === 0) return 0;
    const window = this.current(key, now);
    if (window.count >= this.max) return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    window.count++;
    return 0;
  }

  /** Seconds until `key` may take a slot, without taking one (0: now). */
  retryAfter(key: string, now = Date.now()): number {
    if (this.max === 0) return 0;
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs || window.count < this.max) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  /** Gives one slot back (the attempt it guarded should not count). */
  refund(key: string, now = Date.now()): void {
    const window = this.windows.get(key);
    if (window && now - window.start < this.windowMs && window.count > 0) window.count--;
  }

  private current(key: string, now: number): Window {
    const window = this.windows.get(key);
    if (window && now - window.start < this.windowMs) return window;
    this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
    const fresh = { count: 0, start: now };
    this.windows.set(key, fresh);
    return fresh;
  }
}
