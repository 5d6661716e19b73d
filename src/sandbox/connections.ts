/**
 * The tenant connections of one sandbox child: one per cenv, opened on first use, the least
 * recently used closed once more than `max` are open. A cenv whose file is missing is a 404,
 * never a freshly created empty database.
 */
import { existsSync } from 'node:fs';
import { cenvFile } from '../cenv/paths.ts';
import { TenantConnection, type GateFactory } from '../db/connection.ts';
import type { SqlLimits } from '../db/limits.ts';
import { NotFoundError } from '../errors.ts';

export class ChildConnections {
  private readonly open = new Map<string, TenantConnection>();
  private readonly dataDir: string;
  private readonly defaults: SqlLimits;
  private readonly makeGate: GateFactory;
  private readonly max: number;

  constructor(dataDir: string, defaults: SqlLimits, makeGate: GateFactory, max = 64) {
    this.dataDir = dataDir;
    this.defaults = defaults;
    this.makeGate = makeGate;
    this.max = max;
  }

  /**
   * The connection for `cenvId`, opening it when needed.
   * @example const conn = connections.get('6f1c…'); conn.limits()
   */
  get(cenvId: string): TenantConnection {
    let conn = this.open.get(cenvId);
    if (conn) {
      // Re-insert: Map order is the LRU order.
      this.open.delete(cenvId);
      this.open.set(cenvId, conn);
      return conn;
    }
    const file = cenvFile(this.dataDir, cenvId);
    if (!existsSync(file)) throw new NotFoundError(`no cenv "${cenvId}"`);
    conn = new TenantConnection(file, this.defaults, this.makeGate);
    this.open.set(cenvId, conn);
    if (this.open.size > this.max) this.evict(this.open.keys().next().value!);
    return conn;
  }

  /** Closes one cenv's connection (its file was replaced or deleted, or it misbehaved). */
  evict(cenvId: string): void {
    const conn = this.open.get(cenvId);
    if (!conn) return;
    this.open.delete(cenvId);
    conn.close();
  }

  /** Closes every connection (the child is exiting). */
  closeAll(): void {
    for (const id of [...this.open.keys()]) this.evict(id);
  }
}
