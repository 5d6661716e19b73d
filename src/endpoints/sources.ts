/**
 * What endpoints and modules share as owner-edited sources: who edits (for the audit log and
 * the owner-only rule), the check that every load() names a saved module, and the versioning
 * step (a new version exactly when the source changed). Main process, on the admin API's
 * connection, inside the caller's transaction.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Actor } from '../access/admin-change.ts';
import type { Role } from '../auth/users.ts';
import { audit } from '../db/audit.ts';
import { addVersion, type VersionKind } from '../cenv/versions.ts';
import { prepared } from '../tools/statement-cache.ts';
import { checkSource, syntaxError, type SourceKind } from './check-source.ts';
import type { Dialect } from './dialect.ts';

/** The person making an admin change: audit fields plus their role. */
export interface Editor extends Actor { role: Role }

/**
 * Checks `source` and that every module it loads exists; throws the 400 otherwise.
 * @example checkSaved(db, source, 'endpoint', dialect)
 */
export function checkSaved(db: DatabaseSync, source: string, kind: SourceKind, dialect: Dialect, name?: string): void {
  const { loads } = checkSource(source, kind, dialect, name);
  for (const load of loads) {
    if (load.module === name) throw syntaxError([{ pos: { file: '', line: load.line, col: load.column }, msg: `module ${name} cannot load itself` }]);
    if (!prepared(db, 'SELECT 1 FROM _wce_modules WHERE name = ?').get(load.module)) {
      throw syntaxError([{ pos: { file: '', line: load.line, col: load.column }, msg: `load: there is no module named "${load.module.slice(0, 128)}"; save it first` }]);
    }
  }
}

/**
 * The version an item has after a save: the next one when `source` differs from `current`
 * (recorded in _wce_versions), else the current one.
 */
export function nextVersion(
  db: DatabaseSync, kind: VersionKind, itemId: number, source: string, current: { source: string; version: number } | null, editor: Editor,
): number {
  if (current && current.source === source) return current.version;
  return addVersion(db, kind, String(itemId), { source, createdBy: editor.userId });
}

/** One audit row for an admin change of an endpoint or module. */
export function auditChange(db: DatabaseSync, editor: Editor, action: string, detail: Record<string, unknown>): void {
  audit(db, { action, detail, userId: editor.userId, username: editor.username, ip: editor.ip ?? null, userAgent: editor.userAgent ?? null });
}
