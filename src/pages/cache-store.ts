/**
 * The page cache of a cenv on disk (`_wce_page_cache` + `_wce_page_reads`), on a
 * main-process connection. Only the main process writes it, after a render in the sandbox:
 * a success replaces the page; a failure keeps the last good HTML and records the error.
 * The reads of each page are also kept one row per table, so "which pages read `posts`?"
 * is an index lookup on every commit.
 *
 * @example
 *   storeRender(db, { path: 'about', templateId: 1, templateVersion: 2, status: 200, html, etag, reads: ['posts'], includes: {} }, 10_000);
 *   pathsReading(db, ['posts']) // ['about']
 */
import type { DatabaseSync } from 'node:sqlite';
import { prepared } from '../tools/statement-cache.ts';
import { nowIso } from '../tools/time.ts';
import { transaction } from '../tools/transaction.ts';

export interface CacheEntry {
  path: string;
  templateId: number;
  templateVersion: number;
  status: number;
  html: string | null;
  etag: string | null;
  renderedAt: string | null;
  reads: string[];
  includes: Record<string, number>;
  error: string | null;
  errorAt: string | null;
}

/** A render to store: the page, what it read and included. */
export interface RenderRecord {
  path: string;
  templateId: number;
  templateVersion: number;
  status: number;
  html: string;
  etag: string;
  reads: string[];
  includes: Record<string, number>;
}

/** A render that failed: the error and what it read before failing. */
export interface FailureRecord { path: string; templateId: number; templateVersion: number; error: string; reads: string[] }

interface Row {
  path: string; template_id: number; template_version: number; status: number; html: string | null; etag: string | null;
  rendered_at: string | null; reads: string; includes: string; error: string | null; error_at: string | null;
}

function entry(row: Row): CacheEntry {
  return {
    path: row.path, templateId: row.template_id, templateVersion: row.template_version, status: row.status, html: row.html,
    etag: row.etag, renderedAt: row.rendered_at, reads: JSON.parse(row.reads) as string[],
    includes: JSON.parse(row.includes) as Record<string, number>, error: row.error, errorAt: row.error_at,
  };
}

export function readEntry(db: DatabaseSync, path: string): CacheEntry | null {
  const row = prepared(db, 'SELECT * FROM _wce_page_cache WHERE path = ?').get(path) as Row | undefined;
  return row ? entry(row) : null;
}

/** Every entry without its HTML (`html` is null; `bytes` says how large it is). */
export function listEntries(db: DatabaseSync): Array<CacheEntry & { bytes: number }> {
  const rows = prepared(db, `SELECT path, template_id, template_version, status, NULL AS html, etag, rendered_at, reads, includes,
    error, error_at, coalesce(length(CAST(html AS BLOB)), 0) AS bytes FROM _wce_page_cache ORDER BY path`).all() as unknown as Array<Row & { bytes: number }>;
  return rows.map((row) => ({ ...entry(row), bytes: row.bytes }));
}

/** Paths of the pages that read any of `tables` (lower-case names). */
export function pathsReading(db: DatabaseSync, tables: readonly string[]): string[] {
  if (tables.length === 0) return [];
  const rows = db.prepare(`SELECT DISTINCT path FROM _wce_page_reads WHERE table_name IN (${tables.map(() => '?').join(', ')})`)
    .all(...tables) as Array<{ path: string }>;
  return rows.map((r) => r.path);
}

/** Every table some cached page read. */
export function readTables(db: DatabaseSync): string[] {
  return (prepared(db, 'SELECT DISTINCT table_name FROM _wce_page_reads').all() as Array<{ table_name: string }>).map((r) => r.table_name);
}

function replaceReads(db: DatabaseSync, path: string, reads: readonly string[]): void {
  prepared(db, 'DELETE FROM _wce_page_reads WHERE path = ?').run(path);
  const insert = prepared(db, 'INSERT OR IGNORE INTO _wce_page_reads (table_name, path) VALUES (?, ?)');
  for (const table of reads) insert.run(table.toLowerCase(), path);
}

function exists(db: DatabaseSync, path: string): boolean {
  return prepared(db, 'SELECT 1 FROM _wce_page_cache WHERE path = ?').get(path) !== undefined;
}

/**
 * Drops the least recently rendered entries past `max` (never `keep`); returns their paths.
 * Only a new entry can push the cache past its bound, so callers trim only after adding one.
 */
function trim(db: DatabaseSync, max: number, keep: string): string[] {
  const { n } = prepared(db, 'SELECT count(*) AS n FROM _wce_page_cache').get() as { n: number };
  if (n <= max) return [];
  const victims = (prepared(db, `SELECT path FROM _wce_page_cache WHERE path <> ?
    ORDER BY rendered_at IS NOT NULL, rendered_at LIMIT ?`).all(keep, n - max) as Array<{ path: string }>).map((r) => r.path);
  const remove = prepared(db, 'DELETE FROM _wce_page_cache WHERE path = ?');
  for (const path of victims) remove.run(path);
  return victims;
}

/** Stores a successful render; returns the paths dropped to stay within `maxEntries`. */
export function storeRender(db: DatabaseSync, r: RenderRecord, maxEntries: number): string[] {
  return transaction(db, () => {
    const added = !exists(db, r.path);
    prepared(db, `INSERT INTO _wce_page_cache (path, template_id, template_version, status, html, etag, rendered_at, reads, includes, error, error_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)
      ON CONFLICT (path) DO UPDATE SET template_id = excluded.template_id, template_version = excluded.template_version,
        status = excluded.status, html = excluded.html, etag = excluded.etag, rendered_at = excluded.rendered_at,
        reads = excluded.reads, includes = excluded.includes, error = NULL, error_at = NULL`)
      .run(r.path, r.templateId, r.templateVersion, r.status, r.html, r.etag, nowIso(), JSON.stringify(r.reads), JSON.stringify(r.includes));
    replaceReads(db, r.path, r.reads);
    return added ? trim(db, maxEntries, r.path) : [];
  });
}

/**
 * Records a failed render, keeping the last good page. The template version becomes the one
 * attempted (so the same failure is not retried until something changes). Its reads are
 * added to the page's earlier ones: a render that failed half-way read less, and the page
 * still depends on all.
 */
export function storeFailure(db: DatabaseSync, f: FailureRecord, maxEntries: number): string[] {
  return transaction(db, () => {
    const old = readEntry(db, f.path);
    const reads = [...new Set([...(old?.reads ?? []), ...f.reads.map((t) => t.toLowerCase())])];
    prepared(db, `INSERT INTO _wce_page_cache (path, template_id, template_version, status, reads, error, error_at)
      VALUES (?, ?, ?, 200, ?, ?, ?)
      ON CONFLICT (path) DO UPDATE SET template_id = excluded.template_id, template_version = excluded.template_version,
        reads = excluded.reads, error = excluded.error, error_at = excluded.error_at`)
      .run(f.path, f.templateId, f.templateVersion, JSON.stringify(reads), f.error, nowIso());
    replaceReads(db, f.path, reads);
    return old === null ? trim(db, maxEntries, f.path) : [];
  });
}

/** Removes entries (their template is gone or no longer serves their path). */
export function deleteEntries(db: DatabaseSync, paths: readonly string[]): void {
  if (paths.length === 0) return;
  transaction(db, () => {
    const remove = prepared(db, 'DELETE FROM _wce_page_cache WHERE path = ?');
    for (const path of paths) remove.run(path);
  });
}
