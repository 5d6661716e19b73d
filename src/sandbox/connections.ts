/**
 * The tenant connections of one sandbox child: one per cenv, opened on first use, the least
 * recently used closed once more than `max` are open, each with its cache of compiled
 * scripts and parsed templates. A cenv whose file is missing is a 404, never a freshly
 * created empty database.
 *
 * Every job names its cenv's generation (bumped by the main process when it replaces or
 * deletes the file). A connection opened under an older generation is closed and reopened
 * before the job runs, so no child serves a stale handle, even one that missed an eviction.
 */
import { existsSync } from 'node:fs';
import { cenvFile } from '../cenv/paths.ts';
import type { ServerSettings } from '../cenv/settings.ts';
import { TenantConnection, type GateFactory } from '../db/connection.ts';
import { NotFoundError } from '../errors.ts';
import { CenvCache } from './cenv-cache.ts';

export interface OpenCenv { conn: TenantConnection; cache: CenvCache; generation: number }

export class ChildConnections {
  private readonly open = new Map<string, OpenCenv>();
  private readonly dataDir: string;
  private readonly server: ServerSettings;
  private readonly makeGate: GateFactory;
  private readonly max: number;

  constructor(dataDir: string, server: ServerSettings, makeGate: GateFactory, max = 64) {
    this.dataDir = dataDir;
    this.server = server;
    this.makeGate = makeGate;
    this.max = max;
  }

  /**
   * The open cenv for `cenvId` at `generation`, opening (or reopening) it when needed.
   * @example const { conn, cache } = connections.get('6f1c…', 0); conn.settings()
   */
  get(cenvId: string, generation: number): OpenCenv {
    const found = this.open.get(cenvId);
    if (found && found.generation === generation) {
      // Re-insert: Map order is the LRU order.
      this.open.delete(cenvId);
      this.open.set(cenvId, found);
      return found;
    }
    if (found) this.evict(cenvId);
    const file = cenvFile(this.dataDir, cenvId);
    if (!existsSync(file)) throw new NotFoundError(`no cenv "${cenvId}"`);
    const entry: OpenCenv = { conn: new TenantConnection(file, this.server, this.makeGate), cache: new CenvCache(), generation };
    this.open.set(cenvId, entry);
    if (this.open.size > this.max) this.evict(this.open.keys().next().value!);
    return entry;
  }

  /** Closes one cenv's connection and drops its cache (file replaced or deleted, or it misbehaved). */
  evict(cenvId: string): void {
    const entry = this.open.get(cenvId);
    if (!entry) return;
    this.open.delete(cenvId);
    entry.conn.close();
  }

  /** Closes every connection (the child is exiting). */
  closeAll(): void {
    for (const id of [...this.open.keys()]) this.evict(id);
  }
}
