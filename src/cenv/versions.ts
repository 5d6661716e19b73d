/**
 * Saved versions of owner-edited sources (endpoints, modules, templates) in `_wce_versions`.
 * Every save that changes the source adds a version; a restore adds a new version with an
 * old source, so history only grows and "what ran at 10:02" always has an answer.
 *
 * The item's own table holds its current version number; these functions never touch it,
 * so callers update both inside one transaction.
 *
 * @example
 *   const v = addVersion(db, 'endpoint', id, { source, createdBy: userId }); // 1, 2, …
 *   listVersions(db, 'endpoint', id) // newest first
 */
import type { DatabaseSync } from 'node:sqlite';
import { prepared } from '../tools/statement-cache.ts';
import { nowIso } from '../tools/time.ts';

export type VersionKind = 'endpoint' | 'module' | 'template';

export interface VersionInfo {
  version: number;
  created_at: string;
  created_by: string | null;
  /** Source length in bytes (UTF-8). */
  size: number;
}

export interface Version extends VersionInfo {
  source: string;
  /** Fields saved with the source, as the caller stored them. */
  meta: Record<string, unknown> | null;
}

interface Row { version: number; source: string; meta: string | null; created_at: string; created_by: string | null }

/**
 * Appends the next version of `itemId` and returns its number.
 * @example addVersion(db, 'template', id, { source: '<h1>{{ title }}</h1>', meta: { queries }, createdBy })
 */
export function addVersion(
  db: DatabaseSync, kind: VersionKind, itemId: string,
  entry: { source: string; meta?: Record<string, unknown> | null; createdBy: string | null },
): number {
  const last = prepared(db, 'SELECT max(version) AS v FROM _wce_versions WHERE kind = ? AND item_id = ?').get(kind, itemId) as { v: number | null };
  const version = (last.v ?? 0) + 1;
  prepared(db, `INSERT INTO _wce_versions (kind, item_id, version, source, meta, created_at, created_by)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(kind, itemId, version, entry.source, entry.meta ? JSON.stringify(entry.meta) : null, nowIso(), entry.createdBy);
  return version;
}

/** Every version of an item, newest first, without sources. */
export function listVersions(db: DatabaseSync, kind: VersionKind, itemId: string): VersionInfo[] {
  const rows = prepared(db, `SELECT version, created_at, created_by, length(CAST(source AS BLOB)) AS size
    FROM _wce_versions WHERE kind = ? AND item_id = ? ORDER BY version DESC`).all(kind, itemId);
  return rows as unknown as VersionInfo[];
}

/** One version with its source, or null. */
export function getVersion(db: DatabaseSync, kind: VersionKind, itemId: string, version: number): Version | null {
  const row = prepared(db, `SELECT version, source, meta, created_at, created_by FROM _wce_versions
    WHERE kind = ? AND item_id = ? AND version = ?`).get(kind, itemId, version) as Row | undefined;
  if (!row) return null;
  return {
    version: row.version, source: row.source, meta: row.meta === null ? null : JSON.parse(row.meta) as Record<string, unknown>,
    created_at: row.created_at, created_by: row.created_by, size: Buffer.byteLength(row.source, 'utf8'),
  };
}

/** Removes an item's history (the item itself was deleted). */
export function deleteVersions(db: DatabaseSync, kind: VersionKind, itemId: string): void {
  prepared(db, 'DELETE FROM _wce_versions WHERE kind = ? AND item_id = ?').run(kind, itemId);
}
