/**
 * The registry: which cenvs exist, their names and status. On a single node it is one small
 * database beside the cenv files (this file's `Registry`); in cluster mode it lives in etcd
 * (src/cluster/registry.ts), behind the same `CenvRegistry` interface, so the HTTP layer and
 * `createCenv` do not know which one they talk to. Its methods are async because etcd's are.
 * Only the main process writes it. Lookups are cached in memory because every request
 * resolves its cenv through here.
 */
import type { DatabaseSync } from 'node:sqlite';
import { closeSync, openSync } from 'node:fs';
import { openDatabase } from './open.ts';
import { nowIso } from '../tools/time.ts';
import { prepared } from '../tools/statement-cache.ts';
import type { CenvRef } from './ids.ts';

export type CenvStatus = 'creating' | 'active' | 'disabled';

export interface CenvRecord {
  id: string;
  name: string | null;
  status: CenvStatus;
  createdAt: string;
}

interface Row { id: string; name: string | null; status: CenvStatus; created_at: string }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cenvs (
  id         TEXT PRIMARY KEY,
  name       TEXT UNIQUE,
  status     TEXT NOT NULL CHECK (status IN ('creating', 'active', 'disabled')),
  created_at TEXT NOT NULL
) STRICT;`;

/**
 * Ids, names and status of every cenv, wherever they are kept.
 * @example const cenv = await registry.resolve({ kind: 'name', name: 'blog' });
 */
export interface CenvRegistry {
  /** Finds an active cenv by id or name; null when there is none. */
  resolve(ref: CenvRef): Promise<CenvRecord | null>;
  /** What `resolve` would answer, when that is known without waiting (undefined: call `resolve`). */
  peek(ref: CenvRef): CenvRecord | null | undefined;
  /** Records a new cenv in status `creating`; fails with NameTakenError on a taken name. */
  reserve(id: string, name: string | null): Promise<CenvRecord>;
  setStatus(id: string, status: CenvStatus): Promise<void>;
  /** Removes a cenv's record (used to undo a creation that failed half-way). */
  remove(id: string): Promise<void>;
  /** Throws when the registry cannot answer (for /health/ready). */
  ping(): Promise<void>;
  close(): void | Promise<void>;
}

/** Thrown by `reserve` when the requested name is taken. */
export class NameTakenError extends Error {
  override name = 'NameTakenError';
}

/** The single-node registry: `registry.db` in the data directory. */
export class Registry implements CenvRegistry {
  readonly db: DatabaseSync;
  private readonly byId = new Map<string, CenvRecord>();
  private readonly byName = new Map<string, CenvRecord>();

  constructor(file: string) {
    // Flag 'a' creates a missing file with mode 0600 and leaves an existing one untouched.
    closeSync(openSync(file, 'a', 0o600));
    this.db = openDatabase(file);
    this.db.exec(SCHEMA);
  }

  async resolve(ref: CenvRef): Promise<CenvRecord | null> {
    const known = this.peek(ref);
    if (known !== undefined) return known;
    const record = this.load(ref);
    return record && record.status === 'active' ? record : null;
  }

  peek(ref: CenvRef): CenvRecord | null | undefined {
    const cached = ref.kind === 'id' ? this.byId.get(ref.id) : this.byName.get(ref.name);
    if (cached === undefined) return undefined;
    return cached.status === 'active' ? cached : null;
  }

  async reserve(id: string, name: string | null): Promise<CenvRecord> {
    try {
      this.db.prepare('INSERT INTO cenvs (id, name, status, created_at) VALUES (?, ?, ?, ?)')
        .run(id, name, 'creating', nowIso());
    } catch (error) {
      if (String((error as Error).message).includes('UNIQUE constraint failed: cenvs.name')) {
        throw new NameTakenError(`cenv name "${name}" is already taken`);
      }
      throw error;
    }
    return this.load({ kind: 'id', id })!;
  }

  async setStatus(id: string, status: CenvStatus): Promise<void> {
    this.db.prepare('UPDATE cenvs SET status = ? WHERE id = ?').run(status, id);
    this.forget(id);
  }

  async remove(id: string): Promise<void> {
    this.db.prepare('DELETE FROM cenvs WHERE id = ?').run(id);
    this.forget(id);
  }

  /**
   * Ids of cenvs left in status `creating`. Only a creation in progress has that status, so
   * when the server starts these are creations a crash interrupted (see recoverInterrupted).
   */
  interrupted(): string[] {
    return (this.db.prepare("SELECT id FROM cenvs WHERE status = 'creating'").all() as Array<{ id: string }>).map((row) => row.id);
  }

  /** Adds many records at once, for tests and imports that bypass HTTP. */
  insertActive(records: Array<{ id: string; name: string | null }>): void {
    const insert = this.db.prepare("INSERT INTO cenvs (id, name, status, created_at) VALUES (?, ?, 'active', ?)");
    this.db.exec('BEGIN');
    try {
      for (const r of records) insert.run(r.id, r.name, nowIso());
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Cheap liveness probe for /health/ready. */
  async ping(): Promise<void> {
    prepared(this.db, 'SELECT count(*) FROM cenvs').get();
  }

  close(): void {
    this.db.close();
  }

  private load(ref: CenvRef): CenvRecord | null {
    const row = (ref.kind === 'id'
      ? prepared(this.db, 'SELECT * FROM cenvs WHERE id = ?').get(ref.id)
      : prepared(this.db, 'SELECT * FROM cenvs WHERE name = ?').get(ref.name)) as Row | undefined;
    if (!row) return null;
    const record: CenvRecord = { id: row.id, name: row.name, status: row.status, createdAt: row.created_at };
    this.byId.set(record.id, record);
    if (record.name) this.byName.set(record.name, record);
    return record;
  }

  private forget(id: string): void {
    const record = this.byId.get(id);
    this.byId.delete(id);
    if (record?.name) this.byName.delete(record.name);
  }
}
