/**
 * Counters per key in fixed time windows: what every limit in WCE counts with (the per-minute
 * rate limits, the login throttle, cenv creations per address). It is an interface so that
 * several server processes can one day share one store (a Redis or SQLite implementation of
 * the same three methods); `MemoryCounterStore` keeps the counts in this process.
 *
 * Keys live in namespaces (`login`, `rate`, …), each bounded on its own: a flood of new
 * addresses filling the rate limiter's keys cannot push the login throttle's counts out.
 *
 * @example
 *   const store = new MemoryCounterStore();
 *   const { count, resetMs } = await store.increment('login', `${cenvId} ${ip}`, 600_000);
 *   if (count > 10) await store.decrement('login', `${cenvId} ${ip}`); // refused: not counted
 */

/** A key's count in its current window, and the milliseconds until that window ends. */
export interface WindowCount { count: number; resetMs: number }

export interface CounterStore {
  /** Adds one to `key`'s count; a new window of `windowMs` starts when the last one has ended. */
  increment(namespace: string, key: string, windowMs: number): WindowCount | Promise<WindowCount>;
  /** Takes one back (a refund), if the window it was counted in still runs. */
  decrement(namespace: string, key: string): void | Promise<void>;
}

interface Window { count: number; start: number; windowMs: number }

export interface MemoryStoreOptions {
  /** Keys kept per namespace; past it the window that started first is forgotten. */
  maxKeys?: number;
  /** The clock (tests move it). */
  now?: () => number;
}

export class MemoryCounterStore implements CounterStore {
  private readonly spaces = new Map<string, Map<string, Window>>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  increment(namespace: string, key: string, windowMs: number): WindowCount {
    const now = this.now();
    const space = this.space(namespace);
    let window = space.get(key);
    if (!window || now - window.start >= window.windowMs) {
      // Delete and re-add: the Map's order stays the order windows started in.
      space.delete(key);
      if (space.size >= this.maxKeys) this.makeRoom(space, now);
      window = { count: 0, start: now, windowMs };
      space.set(key, window);
    }
    window.count++;
    return { count: window.count, resetMs: window.start + window.windowMs - now };
  }

  decrement(namespace: string, key: string): void {
    const window = this.spaces.get(namespace)?.get(key);
    if (window && this.now() - window.start < window.windowMs && window.count > 0) window.count--;
  }

  /** Keys held in one namespace (tests check the bound). */
  size(namespace: string): number {
    return this.spaces.get(namespace)?.size ?? 0;
  }

  private space(namespace: string): Map<string, Window> {
    let space = this.spaces.get(namespace);
    if (!space) {
      space = new Map();
      this.spaces.set(namespace, space);
    }
    return space;
  }

  /** Drops ended windows from the oldest end; if none has ended, the oldest one. */
  private makeRoom(space: Map<string, Window>, now: number): void {
    for (const [key, window] of space) {
      if (now - window.start < window.windowMs) break;
      space.delete(key);
    }
    if (space.size >= this.maxKeys) space.delete(space.keys().next().value!);
  }
}
