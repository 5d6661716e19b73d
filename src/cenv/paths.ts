/**
 * File paths of cenv databases. The id must already be a validated, lower-case UUID
 * (see ids.ts); this is asserted again here because a path is where a mistake would hurt.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { isUuid } from './ids.ts';

/** `{dataDir}/{uuid}.db` for a validated UUID. */
export function cenvFile(dataDir: string, id: string): string {
  if (!isUuid(id) || id !== id.toLowerCase()) throw new Error('cenvFile needs a normalised UUID');
  return path.join(dataDir, `${id}.db`);
}

/** The registry database's path. */
export function registryFile(dataDir: string): string {
  return path.join(dataDir, 'registry.db');
}

/** The generated JWT key's path (used when WCE_JWT_SECRET is not set). */
export function jwtKeyFile(dataDir: string): string {
  return path.join(dataDir, 'jwt.key');
}

/** Where cenv `id`'s content before its last import is kept, for one undo. */
export function previousFile(dataDir: string, id: string): string {
  return `${cenvFile(dataDir, id)}.previous`;
}

/**
 * A fresh path for a temporary file in the data directory (same file system as the cenvs, so
 * a finished file can be renamed into place): `.{kind}-{uuid}.tmp`.
 * @example scratchFile(dataDir, 'upload') // '/data/.upload-3f2a….tmp'
 */
export function scratchFile(dataDir: string, kind: string): string {
  return path.join(dataDir, `.${kind}-${randomUUID()}.tmp`);
}
