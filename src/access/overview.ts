/**
 * What the owner's dashboard shows about a cenv: its size, how many users, tables,
 * endpoints, templates and pages it holds, its tables with row counts, and the newest audit
 * entries. Endpoints, templates and pages arrive with their own features: each is counted
 * only when its table exists, so this works before and after those migrations.
 *
 * Row counts are exact (`count(*)`), which reads each table once: cheap at the sizes a cenv
 * may reach (`max_db_bytes`, 100 MB by default), and capped at MAX_COUNTED tables.
 */
import type { DatabaseSync } from 'node:sqlite';
import { recentAudit, type AuditRecord } from '../db/audit.ts';
import { tenantObjects, type ObjectType } from './schema.ts';

/** Counted only when the table exists (it comes with that feature's migration). */
const FEATURE_TABLES = { endpoints: '_wce_endpoints', templates: '_wce_templates', pages: '_wce_page_cache' } as const;
const MAX_COUNTED = 200;
const AUDIT_ENTRIES = 20;

export interface TableStat { name: string; type: Exclude<ObjectType, 'view'>; rows: number | null }

export interface Overview {
  /** The database file: pages in use and free pages, in bytes. */
  size: { bytes: number; free_bytes: number };
  counts: { users: number; tables: number; views: number } & Partial<Record<keyof typeof FEATURE_TABLES, number>>;
  tables: TableStat[];
  audit: AuditRecord[];
}

function count(db: DatabaseSync, sql: string): number {
  return Number((db.prepare(sql).get() as { n: number | bigint }).n);
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** @example cenvOverview(db).counts.users // 3 */
export function cenvOverview(db: DatabaseSync): Overview {
  const objects = tenantObjects(db);
  const tables: TableStat[] = objects.filter((o) => o.type !== 'view').map((o, index) => ({
    name: o.name,
    type: o.type as TableStat['type'],
    // Virtual tables are left uncounted: counting one runs its module's code.
    rows: o.type === 'table' && index < MAX_COUNTED ? count(db, `SELECT count(*) AS n FROM main.${quote(o.name)}`) : null,
  }));
  const counts: Overview['counts'] = {
    users: count(db, 'SELECT count(*) AS n FROM _wce_users'),
    tables: tables.length,
    views: objects.length - tables.length,
  };
  for (const [key, table] of Object.entries(FEATURE_TABLES) as Array<[keyof typeof FEATURE_TABLES, string]>) {
    const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table);
    if (exists) counts[key] = count(db, `SELECT count(*) AS n FROM ${table}`);
  }
  const pageSize = count(db, 'SELECT page_size AS n FROM pragma_page_size');
  return {
    size: {
      bytes: count(db, 'SELECT page_count AS n FROM pragma_page_count') * pageSize,
      free_bytes: count(db, 'SELECT freelist_count AS n FROM pragma_freelist_count') * pageSize,
    },
    counts,
    tables,
    audit: recentAudit(db, AUDIT_ENTRIES),
  };
}
