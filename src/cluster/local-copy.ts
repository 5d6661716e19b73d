/**
 * A node's local files of the cenvs it owns or owned, and whether one can be used as is.
 *
 * Next to `{id}.db` a small marker, `{id}.db.lineage`, records the fencing token under which
 * this node last replicated the file. When the cenv's lineage in etcd still names that token,
 * nobody has owned the cenv since, and the local file holds at least what the replica holds
 * (it may hold more: writes after the last sync), so it is used as is. Any other token means
 * someone else took over: the local file is stale and is replaced by a restore. No marker
 * (a crash during a restore, a file from elsewhere) also means restore.
 *
 * @example
 *   if (copies.isCurrent(id, lineage.token)) … else { const file = await copies.fetch(id, lineage.token); await drained(() => copies.install(id, file)); }
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cenvFile } from '../cenv/paths.ts';
import { removeCenvFiles } from '../cenv/create.ts';
import type { ReplicaRoot } from './config.ts';
import { restoreReplica } from './litestream/restore.ts';
import { litestreamMetaDir } from './litestream/replicator.ts';

export class LocalCopies {
  private readonly dataDir: string;
  private readonly root: ReplicaRoot;
  private readonly scratch: string;

  constructor(dataDir: string, root: ReplicaRoot) {
    this.dataDir = dataDir;
    this.root = root;
    this.scratch = path.join(dataDir, 'restore');
    // Leftovers of restores interrupted by a crash.
    rmSync(this.scratch, { recursive: true, force: true });
    mkdirSync(this.scratch, { recursive: true, mode: 0o700 });
  }

  file(id: string): string {
    return cenvFile(this.dataDir, id);
  }

  /** True when the local file is exactly as current as the replica of `token`, or more. */
  isCurrent(id: string, token: string): boolean {
    return this.marker(id) === token && existsSync(this.file(id));
  }

  /** Records that the local file is replicated under `token` (written atomically). */
  mark(id: string, token: string): void {
    const file = `${this.file(id)}.lineage`;
    writeFileSync(`${file}.tmp`, JSON.stringify({ token }), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  /** Restores the replica of `token` into scratch space; returns the restored file. */
  async fetch(id: string, token: string): Promise<string> {
    return restoreReplica({ root: this.root, cenvId: id, token }, this.file(id), this.scratch);
  }

  /**
   * Puts a restored file in place of the local one. Call while the cenv is drained (no
   * connection may hold the old file). The marker goes first: a crash half-way leaves no
   * marker, so the next owner restores again.
   */
  install(id: string, restored: string): void {
    const file = this.file(id);
    rmSync(`${file}.lineage`, { force: true });
    removeCenvFiles(file);
    rmSync(litestreamMetaDir(file), { recursive: true, force: true });
    renameSync(restored, file);
    chmodSync(file, 0o600);
    rmSync(path.dirname(restored), { recursive: true, force: true });
  }

  /** Removes a scratch directory left by a fetch that was not installed. */
  discard(restored: string): void {
    rmSync(path.dirname(restored), { recursive: true, force: true });
  }

  private marker(id: string): string | null {
    try {
      const parsed = JSON.parse(readFileSync(`${this.file(id)}.lineage`, 'utf8')) as { token?: unknown };
      return typeof parsed.token === 'string' ? parsed.token : null;
    } catch {
      return null;
    }
  }
}
