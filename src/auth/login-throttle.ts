/**
 * Slows down password guessing: after `maxFailures` failed logins from one IP address to one
 * cenv within `windowMs`, further attempts from that address are refused with 429 until the
 * window has passed. Successful logins are never counted. Memory is bounded: at most
 * `maxEntries` addresses are tracked, the oldest forgotten first.
 */
export interface ThrottleOptions { maxFailures: number; windowMs: number; maxEntries?: number }

interface Entry { failures: number; windowStart: number }

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly options: Required<ThrottleOptions>;

  constructor(options: ThrottleOptions) {
    this.options = { maxEntries: 100_000, ...options };
  }

  /** Seconds until `ip` may try again on `cenvId`, or 0 when it may try now. */
  retryAfter(cenvId: string, ip: string, now = Date.now()): number {
    if (this.options.maxFailures === 0) return 0;
    const entry = this.entries.get(`${cenvId} ${ip}`);
    if (!entry || now - entry.windowStart >= this.options.windowMs) return 0;
    if (entry.failures < this.options.maxFailures) return 0;
    return Math.ceil((entry.windowStart + this.options.windowMs - now) / 1000);
  }

  /** Counts one failed attempt. */
  fail(cenvId: string, ip: string, now = Date.now()): void {
    if (this.options.maxFailures === 0) return;
    const key = `${cenvId} ${ip}`;
    const entry = this.entries.get(key);
    if (entry && now - entry.windowStart < this.options.windowMs) {
      entry.failures++;
      return;
    }
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { failures: 1, windowStart: now });
  }
}
