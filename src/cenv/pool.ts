/**
 * Connections to cenv databases in the main process.
 *
 * Each cenv gets up to `perCenv` connections, opened lazily and leased one request at a time
 * (a lease may span awaits, e.g. a transaction around a bcrypt call). Across cenvs the pools
 * form an LRU bounded by `maxOpen`, so 10,000 cenvs on disk do not mean 10,000 open files,
 * and a pool unused for `idleMs` is closed by a background sweep.
 *
 * A cenv's own limit (`connections_per_cenv`: `limitFor` when its pool opens, `setLimit` when
 * its settings change) may be lower than `perCenv`; a lease that waits longer than `waitMs`
 * for one of them fails with a 503 that names the setting, rather than holding its request
 * open indefinitely.
 */
import type { DatabaseSync } from 'node:sqlite';
import { UnavailableError } from '../errors.ts';
import { openDatabase } from './open.ts';
import { migrate } from './migrate.ts';
import { cenvFile } from './paths.ts';

export interface PoolOptions {
  dataDir: string;
  perCenv: number;
  maxOpen: number;
  idleMs: number;
  /** The cenv's own connection limit (at most `perCenv`) when its pool opens; default `perCenv`. */
  limitFor?: (cenvId: string) => number;
  /** How long a lease may wait for a free connection (default 10 s). */
  waitMs?: number;
}

class CenvConnections {
  readonly idle: DatabaseSync[] = [];
  readonly all: DatabaseSync[] = [];
  readonly waiters: Array<(db: DatabaseSync) => void> = [];
  /** A drain waiting for the last lease to come back. */
  readonly drained: Array<() => void> = [];
  leased = 0;
  lastUsed = Date.now();
  /** Connections this cenv may hold (its `connections_per_cenv`, at most `perCenv`). */
  limit: number;
  readonly file: string;
  constructor(file: string, limit: number) {
    this.file = file;
    this.limit = limit;
  }

  get busy(): boolean {
    return this.leased > 0 || this.waiters.length > 0;
  }

  closeAll(): void {
    for (const db of this.all) db.close();
    this.all.length = 0;
    this.idle.length = 0;
  }
}

export class ConnectionPools {
  private readonly pools = new Map<string, CenvConnections>();
  /** Cenvs being drained: new leases wait for the promise (resolved when the drain ends). */
  private readonly drains = new Map<string, { done: Promise<void>; end(): void }>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  private readonly options: PoolOptions;

  constructor(options: PoolOptions) {
    this.options = options;
    this.sweeper = setInterval(() => this.sweep(), Math.min(options.idleMs, 60_000));
    this.sweeper.unref();
  }

  /**
   * Runs `fn` with a connection leased to it alone, then returns the connection.
   * node:sqlite is synchronous: keep write transactions inside one synchronous stretch of
   * `fn`. A write transaction held across an await would make another lease's write wait on
   * SQLite's busy timeout while blocking the event loop that could finish the first.
   * @example const user = await pools.use(cenvId, (db) => db.prepare('SELECT ...').get(id));
   */
  async use<T>(cenvId: string, fn: (db: DatabaseSync) => T | Promise<T>): Promise<T> {
    let drain = this.drains.get(cenvId);
    while (drain) {
      await drain.done;
      drain = this.drains.get(cenvId);
    }
    const pool = this.poolFor(cenvId);
    if (pool.all.length > pool.limit) this.shrink(pool);
    const db = pool.idle.pop() ?? this.grow(pool) ?? (await this.wait(pool));
    pool.leased++;
    try {
      return await fn(db);
    } finally {
      pool.leased--;
      pool.lastUsed = Date.now();
      this.release(pool, db);
    }
  }

  /** How many cenvs have open connections now, and how many connections in all. */
  stats(): { openCenvs: number; connections: number } {
    let connections = 0;
    for (const pool of this.pools.values()) connections += pool.all.length;
    return { openCenvs: this.pools.size, connections };
  }

  /** Ids of the cenvs that have open connections now. */
  openCenvIds(): string[] {
    return [...this.pools.keys()];
  }

  /**
   * Waits until no lease of `cenvId` is out, closes its connections, and holds new leases
   * back until the returned function is called (the file can be replaced in between).
   * @example const resume = await pools.drain(id); try { swap(); } finally { resume(); }
   */
  async drain(cenvId: string): Promise<() => void> {
    while (this.drains.has(cenvId)) await this.drains.get(cenvId)!.done;
    let end!: () => void;
    const done = new Promise<void>((resolve) => { end = resolve; });
    this.drains.set(cenvId, { done, end });
    const pool = this.pools.get(cenvId);
    if (pool) {
      while (pool.busy) await new Promise<void>((resolve) => pool.drained.push(resolve));
      pool.closeAll();
      this.pools.delete(cenvId);
    }
    return () => {
      this.drains.delete(cenvId);
      end();
    };
  }

  /** Closes every connection; later `use` calls fail. */
  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const pool of this.pools.values()) pool.closeAll();
    this.pools.clear();
  }

  private poolFor(cenvId: string): CenvConnections {
    if (this.closed) throw new Error('connection pools are closed');
    let pool = this.pools.get(cenvId);
    if (pool) {
      // Re-insert to move it to the most recently used end of the Map's order.
      this.pools.delete(cenvId);
      this.pools.set(cenvId, pool);
      return pool;
    }
    const limit = Math.min(this.options.perCenv, this.options.limitFor?.(cenvId) ?? this.options.perCenv);
    pool = new CenvConnections(cenvFile(this.options.dataDir, cenvId), limit);
    this.pools.set(cenvId, pool);
    this.trim();
    return pool;
  }

  /**
   * Sets a cenv's connection limit (its settings were loaded or changed). A lower limit
   * closes idle connections above it now and busy ones as they come back.
   * @example pools.setLimit(cenvId, settings.connections_per_cenv)
   */
  setLimit(cenvId: string, limit: number): void {
    const pool = this.pools.get(cenvId);
    if (!pool) return;
    pool.limit = Math.min(this.options.perCenv, limit);
    if (pool.all.length > pool.limit) this.shrink(pool);
  }

  /** Waits for a connection to come back, at most `waitMs`. */
  private wait(pool: CenvConnections): Promise<DatabaseSync> {
    return new Promise<DatabaseSync>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = pool.waiters.indexOf(take);
        if (at >= 0) pool.waiters.splice(at, 1);
        if (!pool.busy) for (const wake of pool.drained.splice(0)) wake();
        reject(new UnavailableError(`all ${pool.limit} connections of this cenv stayed busy for ` +
          `${this.options.waitMs ?? 10_000} ms (connections_per_cenv); retry shortly`));
      }, this.options.waitMs ?? 10_000);
      const take = (db: DatabaseSync): void => {
        clearTimeout(timer);
        resolve(db);
      };
      pool.waiters.push(take);
    });
  }

  /** Closes idle connections above the cenv's limit (it was lowered). */
  private shrink(pool: CenvConnections): void {
    while (pool.all.length > pool.limit && pool.idle.length > 0) {
      const db = pool.idle.pop()!;
      pool.all.splice(pool.all.indexOf(db), 1);
      db.close();
    }
  }

  private grow(pool: CenvConnections): DatabaseSync | undefined {
    if (pool.all.length >= pool.limit) return undefined;
    const db = openDatabase(pool.file);
    // The first connection of a pool brings an older file up to the current schema.
    if (pool.all.length === 0) migrate(db);
    pool.all.push(db);
    return db;
  }

  private release(pool: CenvConnections, db: DatabaseSync): void {
    if (!pool.all.includes(db)) return; // the pool was closed while this lease was out
    if (pool.all.length > pool.limit) {
      // The cenv's limit was lowered: this connection goes rather than back to the pool.
      pool.all.splice(pool.all.indexOf(db), 1);
      db.close();
    } else {
      const waiter = pool.waiters.shift();
      if (waiter) return waiter(db);
      pool.idle.push(db);
    }
    if (!pool.busy) for (const wake of pool.drained.splice(0)) wake();
    this.trim();
  }

  /** Closes least recently used idle pools until at most `maxOpen` remain. */
  private trim(): void {
    if (this.pools.size <= this.options.maxOpen) return;
    for (const [id, pool] of this.pools) {
      if (this.pools.size <= this.options.maxOpen) break;
      if (pool.busy) continue;
      pool.closeAll();
      this.pools.delete(id);
    }
  }

  private sweep(): void {
    const cutoff = Date.now() - this.options.idleMs;
    for (const [id, pool] of this.pools) {
      if (!pool.busy && pool.lastUsed < cutoff) {
        pool.closeAll();
        this.pools.delete(id);
      }
    }
  }
}
