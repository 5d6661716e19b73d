/**
 * A bounded cache of values loaded asynchronously, one per key, for state that only this
 * process writes (so the writer invalidates exactly: settings, routing tables). A load that
 * was in flight while its key was invalidated is returned to its caller but not kept — a
 * request that raced a write can never pin the old value for the requests after it.
 *
 * @example
 *   const settings = new LoadingCache((cenvId) => loadSettings(cenvId));
 *   await settings.get(id);    // a Map lookup after the first call
 *   settings.invalidate(id);   // after the write, before answering it
 */
import { BoundedCache } from './lru.ts';

export class LoadingCache<V> {
  private readonly load: (key: string) => Promise<V>;
  private readonly values: BoundedCache<string, V>;
  /** Bumped by `invalidate`; a load that started under an older generation is not kept. */
  private readonly generations = new Map<string, number>();

  constructor(load: (key: string) => Promise<V>, max = 10_000) {
    this.load = load;
    this.values = new BoundedCache(max);
  }

  async get(key: string): Promise<V> {
    const cached = this.values.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generations.get(key) ?? 0;
    const value = await this.load(key);
    if ((this.generations.get(key) ?? 0) === generation) this.values.set(key, value);
    return value;
  }

  /** The cached value, if any, without loading (for code that cannot wait). */
  peek(key: string): V | undefined {
    return this.values.get(key);
  }

  invalidate(key: string): void {
    this.values.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    // Generations only need to outlive loads in flight; keep the map from growing forever.
    if (this.generations.size > 100_000) this.generations.clear();
  }
}
