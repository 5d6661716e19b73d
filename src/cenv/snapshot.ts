/**
 * Consistent copies of a cenv file through SQLite's backup API, in both directions:
 *
 * - `snapshot`: the live cenv into a new file while writers go on. The copy is made in one
 *   backup step, i.e. inside one read transaction: a writer in another process can neither
 *   tear it nor make it start over (a stepwise backup restarts whenever the source changes,
 *   and under steady writes might never finish). It runs on libuv's thread pool.
 * - `replaceCenv`: a checked file into the live cenv. The backup writes the destination
 *   inside SQLite's own write transaction, so the swap is atomic even across a crash (the
 *   destination's WAL rolls an unfinished copy back), and connections still open on the
 *   file see the new content rather than a half-replaced inode. The content it replaces is
 *   kept as the cenv's previous file, for one `restorePrevious`.
 *
 * Callers hold `deps.exclusive(cenvId, …)` around replace and restore (no work in flight).
 *
 * @example
 *   await pools.use(id, (db) => snapshot(db, scratch));                       // export
 *   await deps.exclusive(id, () => replaceCenv(dataDir, id, checkedUpload));  // import
 */
import { closeSync, existsSync, openSync, renameSync } from 'node:fs';
import { backup, DatabaseSync } from 'node:sqlite';
import { openDatabase } from './open.ts';
import { cenvFile, previousFile, scratchFile } from './paths.ts';
import { removeCenvFiles } from './create.ts';

/** Every page in one backup step (see above). */
const ALL_PAGES = 2 ** 30;

/**
 * Copies the database open on `db` into `dest` (created with mode 0600; must not exist).
 * @example await snapshot(db, scratchFile(dataDir, 'export'))
 */
export async function snapshot(db: DatabaseSync, dest: string): Promise<void> {
  // Made first so the mode is ours: the backup writes into the (empty) file.
  closeSync(openSync(dest, 'wx', 0o600));
  try {
    await backup(db, dest, { rate: ALL_PAGES });
  } catch (error) {
    removeCenvFiles(dest);
    throw error;
  }
}

/** Attempts of a backup into a live cenv, and the pause between them. */
const ATTEMPTS = 40;
const PAUSE_MS = 25;

/**
 * Copies `source` over `dest`, retrying while another connection briefly holds the
 * destination: a sandbox child closing its old connection after the drain checkpoints as it
 * closes, and the backup's own connection has no busy timeout. (node:sqlite reports that
 * busy destination as an ERR_SQLITE_ERROR "not an error", errcode 0.) A failed attempt has
 * written nothing.
 */
async function copyInto(source: string, dest: string): Promise<void> {
  const db = new DatabaseSync(source, { open: true });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await backup(db, dest, { rate: ALL_PAGES });
        return;
      } catch (error) {
        const { code, errcode } = error as { code?: string; errcode?: number };
        const busy = code === 'ERR_SQLITE_ERROR' && (errcode === 0 || (errcode! & 0xff) === 5 || (errcode! & 0xff) === 6);
        if (!busy || attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    }
  } finally {
    db.close();
  }
}

/**
 * Replaces the content of cenv `id` with `source` (a checked file) and keeps what was there
 * as the previous file; `source` is removed. On failure the cenv is as it was.
 */
export async function replaceCenv(dataDir: string, id: string, source: string): Promise<void> {
  const live = cenvFile(dataDir, id);
  const kept = scratchFile(dataDir, 'previous');
  const current = openDatabase(live);
  try {
    await snapshot(current, kept);
  } finally {
    current.close();
  }
  try {
    await copyInto(source, live);
  } catch (error) {
    removeCenvFiles(kept);
    throw error;
  }
  const previous = previousFile(dataDir, id);
  removeCenvFiles(previous);
  renameSync(kept, previous);
  removeCenvFiles(source);
}

/** True when cenv `id` has a previous file to go back to. */
export function hasPrevious(dataDir: string, id: string): boolean {
  return existsSync(previousFile(dataDir, id));
}

/**
 * Puts the previous file's content back into cenv `id` and forgets it (one undo). False when
 * there is none.
 */
export async function restorePrevious(dataDir: string, id: string): Promise<boolean> {
  const previous = previousFile(dataDir, id);
  if (!existsSync(previous)) return false;
  await copyInto(previous, cenvFile(dataDir, id));
  removeCenvFiles(previous);
  return true;
}
