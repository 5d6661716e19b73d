/**
 * Rendered pages held in the main process's memory, ready to send: the bytes, ETag, status
 * and content type. Serving a cached page is then a Map lookup and a write, with no SQLite
 * and no sandbox. Bounded by bytes (least recently served dropped first); the page cache
 * on disk stays the source of truth, so a dropped page is read from there again.
 *
 * @example
 *   memory.set(cenvId, 'about', { status: 200, body, etag, contentType });
 *   memory.get(cenvId, 'about')?.etag
 */

export interface ServedPage {
  status: number;
  body: Buffer;
  etag: string;
  contentType: string;
}

/** What one entry costs beyond its body (key, object, headers). */
const OVERHEAD = 256;

export class MemoryCache {
  private readonly entries = new Map<string, ServedPage & { cost: number }>();
  private readonly maxBytes: number;
  private bytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  private static key(cenvId: string, path: string): string {
    return `${cenvId}\u0000${path}`;
  }

  get(cenvId: string, path: string): ServedPage | undefined {
    const key = MemoryCache.key(cenvId, path);
    const found = this.entries.get(key);
    if (found) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  set(cenvId: string, path: string, page: ServedPage): void {
    const key = MemoryCache.key(cenvId, path);
    this.remove(key);
    const cost = page.body.length + path.length + OVERHEAD;
    // A page larger than a quarter of the budget would push out many others: serve it from disk.
    if (cost > this.maxBytes / 4) return;
    this.entries.set(key, { ...page, cost });
    this.bytes += cost;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.cost;
    }
  }

  delete(cenvId: string, path: string): void {
    this.remove(MemoryCache.key(cenvId, path));
  }

  /** Forgets every page of a cenv (its file was replaced). */
  deleteCenv(cenvId: string): void {
    const prefix = `${cenvId}\u0000`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.remove(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.cost;
  }
}
