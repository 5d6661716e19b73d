/**
 * What a sandbox child keeps per cenv between requests beside its connection: compiled
 * scripts, parsed templates. Each entry is keyed by name and stamped with the version it was
 * built from, so a saved change (a new version) is never served stale, and the whole cache
 * goes with the connection when the cenv is evicted (import, delete, a newer generation).
 *
 * @example
 *   const program = ctx.cache.get(`endpoint:${id}`, version, () => compile(source));
 */
export class CenvCache {
  private readonly entries = new Map<string, { version: number; value: unknown }>();
  private readonly max: number;

  /** `max` bounds the entries of one cenv; the least recently used go first. */
  constructor(max = 256) {
    this.max = max;
  }

  /** The value built for `version` of `key`, building (and keeping) it when missing or older. */
  get<T>(key: string, version: number, build: () => T): T {
    const entry = this.entries.get(key);
    if (entry && entry.version === version) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value as T;
    }
    const value = build();
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** Forgets one entry (its item was deleted). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
