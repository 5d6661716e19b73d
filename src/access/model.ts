/**
 * The access data of one cenv as the guard uses it: table grants and row policies, read from
 * `_wce_table_permissions` and `_wce_row_policies` in one go.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Principal } from '../auth/principal.ts';
import { foldCase } from './tokens.ts';

export const OPERATIONS = ['select', 'insert', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];
export const POLICY_COMMANDS = ['select', 'insert', 'update', 'delete', 'all'] as const;
export type PolicyCommand = (typeof POLICY_COMMANDS)[number];
export const POLICY_ROLES = ['owner', 'admin', 'user', 'anonymous'] as const;
export type PolicyKind = 'permissive' | 'restrictive';

export interface RowPolicy {
  id: number;
  table: string;
  name: string;
  commands: PolicyCommand[];
  roles: string[];
  using: string | null;
  check: string | null;
  kind: PolicyKind;
}

interface GrantRow {
  table_name: string; role: string | null; user_id: string | null;
  can_select: number; can_insert: number; can_update: number; can_delete: number;
}

export interface PolicyRow {
  id: number; table_name: string; name: string; commands: string; roles: string;
  using_expr: string | null; check_expr: string | null; kind: PolicyKind;
}

/** Parses a JSON array of strings stored by the admin API; anything else reads as empty. */
function stringArray(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export function toPolicy(row: PolicyRow): RowPolicy {
  return {
    id: row.id, table: row.table_name, name: row.name,
    commands: stringArray(row.commands) as PolicyCommand[], roles: stringArray(row.roles),
    using: row.using_expr, check: row.check_expr, kind: row.kind,
  };
}

/** Every row policy, in id order. */
export function loadPolicies(db: DatabaseSync): RowPolicy[] {
  return (db.prepare('SELECT * FROM _wce_row_policies ORDER BY id').all() as unknown as PolicyRow[]).map(toPolicy);
}

/** Grants keyed by "role:<role>" or "user:<id>", then by lower-case table name. */
export class Grants {
  private readonly byHolder = new Map<string, Map<string, Set<Operation>>>();
  private readonly usersWithGrants = new Set<string>();

  constructor(rows: GrantRow[]) {
    for (const row of rows) {
      const holder = row.role !== null ? `role:${row.role}` : `user:${row.user_id}`;
      if (row.user_id !== null) this.usersWithGrants.add(row.user_id);
      const tables = this.byHolder.get(holder) ?? new Map<string, Set<Operation>>();
      this.byHolder.set(holder, tables);
      const table = foldCase(row.table_name);
      const ops = tables.get(table) ?? new Set<Operation>();
      tables.set(table, ops);
      if (row.can_select) ops.add('select');
      if (row.can_insert) ops.add('insert');
      if (row.can_update) ops.add('update');
      if (row.can_delete) ops.add('delete');
    }
  }

  /**
   * Whether `principal` (not owner/admin: they hold everything, decided by the caller) may do
   * `op` on `table`: a grant to its role or to the user itself.
   */
  allows(principal: Principal, table: string, op: Operation): boolean {
    const key = foldCase(table);
    if (this.byHolder.get(`role:${principal.role}`)?.get(key)?.has(op)) return true;
    return principal.userId !== null && this.byHolder.get(`user:${principal.userId}`)?.get(key)?.has(op) === true;
  }

  /**
   * What decides this principal's rights: the role, plus the user id when the user holds
   * grants of its own. Statements prepared for one key serve every principal with that key.
   */
  principalKey(principal: Principal): string {
    const own = principal.userId !== null && this.usersWithGrants.has(principal.userId);
    return own ? `${principal.role}:${principal.userId}` : principal.role;
  }
}

/** Reads every grant. */
export function loadGrants(db: DatabaseSync): Grants {
  return new Grants(db.prepare('SELECT table_name, role, user_id, can_select, can_insert, can_update, can_delete FROM _wce_table_permissions').all() as unknown as GrantRow[]);
}

/**
 * The objects of the main schema, lower-case name → type: 'table', 'view', 'virtual' (FTS5,
 * R*Tree…) or 'shadow' (the tables a virtual table keeps its data in). SQLite's own tables
 * are left out.
 */
export function loadMainObjects(db: DatabaseSync): Map<string, string> {
  const rows = db.prepare("SELECT lower(name) AS name, type FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as Array<{ name: string; type: string }>;
  return new Map(rows.map((row) => [row.name, row.type]));
}

/**
 * The virtual table a shadow table belongs to (`docs_data` → `docs`), or null.
 * @example shadowOwner(objects, 'docs_idx') // 'docs' when docs is an FTS5 table
 */
export function shadowOwner(objects: ReadonlyMap<string, string>, shadow: string): string | null {
  let owner: string | null = null;
  for (const [name, type] of objects) {
    if (type === 'virtual' && shadow.startsWith(`${name}_`) && (owner === null || name.length > owner.length)) owner = name;
  }
  return owner;
}
