/**
 * Creating a cenv: registry record, database file (mode 0600), schema, and whatever the
 * caller seeds into it (the owner user) in the same go — or, for a clone, a checked file
 * moved into place. Either all of it exists afterwards or none of it does. The seed is the
 * caller's so this module needs nothing above src/cenv.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, renameSync, rmSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import type { CenvRegistry, CenvRecord, Registry } from './registry.ts';
import { openDatabase } from './open.ts';
import { migrate } from './migrate.ts';
import { cenvFile } from './paths.ts';
import { transaction } from '../tools/transaction.ts';

export interface CreatedCenv<T> { cenv: CenvRecord; seeded: T }

/** Removes a cenv file and its WAL companions; missing files are fine. */
export function removeCenvFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/**
 * Creates a cenv named `name` (or unnamed) and runs `seed` on its fresh database, in one
 * transaction. Throws NameTakenError (from the registry) for a taken name; any other failure
 * removes whatever was made before it is rethrown.
 * @example const { cenv, seeded: owner } = await createCenv(registry, dataDir, 'blog', (db) => insertUser(db, 'ada', hash, 'owner'))
 */
export async function createCenv<T>(registry: CenvRegistry, dataDir: string, name: string | null, seed: (db: DatabaseSync) => T): Promise<CreatedCenv<T>> {
  const id = randomUUID();
  await registry.reserve(id, name);
  const file = cenvFile(dataDir, id);
  try {
    const db = openDatabase(file, { create: true });
    let seeded: T;
    try {
      migrate(db);
      seeded = transaction(db, () => seed(db));
    } finally {
      db.close();
    }
    await registry.setStatus(id, 'active');
    return { cenv: { ...(await registry.resolve({ kind: 'id', id }))! }, seeded };
  } catch (error) {
    removeCenvFiles(file);
    await registry.remove(id);
    throw error;
  }
}

/**
 * Makes the checked file `file` (in the data directory; see inspect.ts) cenv `id` named
 * `name`: the registry record, then the file renamed into place. Throws NameTakenError for a
 * taken name; on any failure nothing of the new cenv remains (`file` is left to the caller).
 * @example const cenv = await adoptCenvFile(registry, dataDir, randomUUID(), 'blog-copy', upload.file)
 */
export async function adoptCenvFile(registry: CenvRegistry, dataDir: string, id: string, name: string | null, file: string): Promise<CenvRecord> {
  await registry.reserve(id, name);
  const target = cenvFile(dataDir, id);
  try {
    chmodSync(file, 0o600);
    renameSync(file, target);
    await registry.setStatus(id, 'active');
    return { ...(await registry.resolve({ kind: 'id', id }))! };
  } catch (error) {
    removeCenvFiles(target);
    await registry.remove(id);
    throw error;
  }
}

/**
 * Undoes creations a crash interrupted (the process died between the registry record and
 * `active`): their half-made files and records go, so their names are free again. Call at
 * start, before the server takes requests — when no creation can be in progress. Returns the
 * ids removed.
 * @example recoverInterrupted(registry, dataDir) // ['5c1f…'] after a crash mid-creation
 */
export async function recoverInterrupted(registry: Registry, dataDir: string): Promise<string[]> {
  const ids = registry.interrupted();
  for (const id of ids) {
    removeCenvFiles(cenvFile(dataDir, id));
    await registry.remove(id);
  }
  return ids;
}
