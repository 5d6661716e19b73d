/**
 * The main process's routing tables, one per cenv, built on first use and kept until an
 * endpoint of that cenv changes. Only the admin API (in this process) writes endpoints, so
 * invalidation is exact: the write invalidates, and so does replacing a cenv's file.
 *
 * A table being loaded while its cenv is invalidated is not kept (a generation per cenv), so
 * a request that raced a save can never pin the old table: the next request after the save's
 * answer always routes to what was saved.
 *
 * @example
 *   const table = await routes.table(cenvId);  // a Map lookup after the first call
 *   routes.invalidate(cenvId);                 // after any endpoint change
 */
import { BoundedCache } from '../tools/lru.ts';
import { RouteTable, type RouteInfo } from './route-table.ts';

export class RouteCache {
  private readonly read: (cenvId: string) => Promise<RouteInfo[]>;
  private readonly tables: BoundedCache<string, RouteTable>;
  private readonly generations = new Map<string, number>();

  /** `read` loads a cenv's enabled routes (through the connection pools in the server). */
  constructor(read: (cenvId: string) => Promise<RouteInfo[]>, max = 10_000) {
    this.read = read;
    this.tables = new BoundedCache(max);
  }

  async table(cenvId: string): Promise<RouteTable> {
    const cached = this.tables.get(cenvId);
    if (cached) return cached;
    const generation = this.generations.get(cenvId) ?? 0;
    const table = new RouteTable(await this.read(cenvId));
    if ((this.generations.get(cenvId) ?? 0) === generation) this.tables.set(cenvId, table);
    return table;
  }

  invalidate(cenvId: string): void {
    this.tables.delete(cenvId);
    this.generations.set(cenvId, (this.generations.get(cenvId) ?? 0) + 1);
    // Generations only need to outlive loads in flight; keep the map from growing forever.
    if (this.generations.size > 100_000) this.generations.clear();
  }
}
