/**
 * A Set bounded to `limit` entries that forgets the oldest insertion first.
 * @example const s = new BoundedSet<string>(2); s.add('a'); s.add('b'); s.add('c'); s.has('a') // false
 */
export class BoundedSet<T> {
  private readonly set = new Set<T>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  add(value: T): void {
    this.set.delete(value);
    this.set.add(value);
    if (this.set.size > this.limit) this.set.delete(this.set.values().next().value as T);
  }

  has(value: T): boolean {
    return this.set.has(value);
  }

  delete(value: T): boolean {
    return this.set.delete(value);
  }

  values(): IterableIterator<T> {
    return this.set.values();
  }

  get size(): number {
    return this.set.size;
  }
}
