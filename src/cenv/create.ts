/**
 * Creating a cenv: registry record, database file (mode 0600), schema, default config and
 * the owner user. Either all of it exists afterwards or none of it does.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Registry, CenvRecord } from './registry.ts';
import { openDatabase } from './open.ts';
import { migrate } from './migrate.ts';
import { cenvFile } from './paths.ts';
import { insertUser, type User } from '../auth/users.ts';

export interface NewCenv {
  name: string | null;
  ownerUsername: string;
  ownerPasswordHash: string;
}

export interface CreatedCenv { cenv: CenvRecord; owner: User }

/** Removes a cenv file and its WAL companions; missing files are fine. */
export function removeCenvFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/**
 * Creates a cenv. Throws NameTakenError (from the registry) for a taken name; any other
 * failure removes whatever was made before it is rethrown.
 * @example const { cenv } = createCenv(registry, dataDir, { name: 'blog', ownerUsername: 'ada', ownerPasswordHash })
 */
export function createCenv(registry: Registry, dataDir: string, spec: NewCenv): CreatedCenv {
  const id = randomUUID();
  registry.reserve(id, spec.name);
  const file = cenvFile(dataDir, id);
  try {
    const db = openDatabase(file, { create: true });
    let owner: User;
    try {
      migrate(db);
      owner = insertUser(db, spec.ownerUsername, spec.ownerPasswordHash, 'owner');
    } finally {
      db.close();
    }
    registry.setStatus(id, 'active');
    return { cenv: { ...registry.resolve({ kind: 'id', id })! }, owner };
  } catch (error) {
    removeCenvFiles(file);
    registry.remove(id);
    throw error;
  }
}
