/**
 * The tenant's schema as WCE's own pages show it: tables, views and virtual tables of the
 * main schema with their columns, never WCE's `_wce_*` objects, SQLite's own tables or the
 * shadow tables of virtual tables. `visibleSchema` narrows it to what a principal may read,
 * so the console's completion never names a table the caller has no grant on.
 *
 * Runs on main-process connections: only WCE's own catalogue queries, names bound or quoted.
 */
import type { DatabaseSync } from 'node:sqlite';
import { isAdministrator, type Principal } from '../auth/principal.ts';
import { loadGrants, loadMainObjects, shadowOwner } from './model.ts';
import { isReservedName } from './tokens.ts';

export type ObjectType = 'table' | 'view' | 'virtual';

export interface TenantObject { name: string; type: ObjectType }

export interface Column { name: string; type: string; notnull: boolean; pk: boolean }

export interface SchemaTable extends TenantObject { columns: Column[] }

/** The most objects listed: a cenv with more is unusual, and the reply stays small. */
export const MAX_OBJECTS = 500;

/** Tenant tables, views and virtual tables in name order (original spelling). */
export function tenantObjects(db: DatabaseSync): TenantObject[] {
  const objects = loadMainObjects(db);
  const rows = db.prepare(`SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'view', 'virtual')
    AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name COLLATE NOCASE`).all() as Array<{ name: string; type: ObjectType }>;
  return rows
    .filter((row) => !isReservedName(row.name) && !(row.type === 'table' && shadowOwner(objects, row.name.toLowerCase()) !== null))
    .slice(0, MAX_OBJECTS);
}

/** The columns of one tenant object, in declaration order. */
export function columnsOf(db: DatabaseSync, name: string): Column[] {
  const rows = db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?)').all(name) as Array<{ name: string; type: string; notnull: number; pk: number }>;
  return rows.map((row) => ({ name: row.name, type: row.type, notnull: row.notnull === 1, pk: row.pk > 0 }));
}

/**
 * The objects `principal` may read, with their columns: everything for owner and admin,
 * tables and virtual tables with a select grant (to the role or the user) for others.
 * Views are listed for owner and admin only: a user reading a protected table through a
 * view is refused anyway (access.md, "security_invoker").
 * @example visibleSchema(db, principal).map((t) => t.name) // ['posts']
 */
export function visibleSchema(db: DatabaseSync, principal: Principal): SchemaTable[] {
  const objects = tenantObjects(db);
  let visible = objects;
  if (!isAdministrator(principal)) {
    const grants = loadGrants(db);
    visible = objects.filter((o) => o.type !== 'view' && grants.allows(principal, o.name, 'select'));
  }
  return visible.map((o) => ({ ...o, columns: columnsOf(db, o.name) }));
}
