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
import { LoadingCache } from '../tools/loading-cache.ts';
import { RouteTable, type RouteInfo } from './route-table.ts';

export class RouteCache {
  private readonly tables: LoadingCache<RouteTable>;

  /** `read` loads a cenv's enabled routes (through the connection pools in the server). */
  constructor(read: (cenvId: string) => Promise<RouteInfo[]>, max = 10_000) {
    this.tables = new LoadingCache(async (cenvId) => new RouteTable(await read(cenvId)), max);
  }

  table(cenvId: string): Promise<RouteTable> {
    return this.tables.get(cenvId);
  }

  invalidate(cenvId: string): void {
    this.tables.invalidate(cenvId);
  }
}
