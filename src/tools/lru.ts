/**
 * A Map bounded to `limit` entries that forgets first an entry not read since it was last
 * passed over ("second chance", the CLOCK approximation of least-recently-used).
 *
 * Why not exact LRU: that moves an entry to the back of the Map on every read (a delete and a
 * set), and the hot caches here (sessions, settings, prepared statements) are read on every
 * request. A read now only marks the entry; the moving happens at eviction, which is rare.
 *
 * @example const c = new BoundedCache<string, number>(2); c.set('a', 1); c.get('a') // 1
 */
interface Entry<V> { value: V; used: boolean }

export class BoundedCache<K, V> {
  private readonly map = new Map<K, Entry<V>>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    const entry = this.map.get(key);
    if (entry !== undefined) {
      entry.value = value;
      entry.used = true;
      return;
    }
    // Room first, so the entry being added is never the one that goes.
    if (this.map.size >= this.limit) this.evict();
    this.map.set(key, { value, used: false });
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }

  /** Drops the oldest entry not read since it was last passed over; read ones go to the back, unmarked. */
  private evict(): void {
    for (;;) {
      const [key, entry] = this.map.entries().next().value as [K, Entry<V>];
      this.map.delete(key);
      if (!entry.used) return;
      entry.used = false;
      this.map.set(key, entry);
    }
  }
}
