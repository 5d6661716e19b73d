/**
 * Building the access state of one connection: grants, the protected tables and their TEMP
 * policy objects. Runs with the authorizer in trusted mode (the guard arranges that).
 *
 * Fail closed: a protected table whose policy objects cannot be built (a policy names a
 * dropped column, the table is a view, …) goes to `broken`, and the authorizer then refuses
 * every non-admin action on it. A protected table that does not exist yet gets no view, so a
 * reference to it fails with "no such table".
 */
import type { DatabaseSync } from 'node:sqlite';
import { loadGrants, loadPolicies, loadMainObjects, type Grants, type RowPolicy } from './model.ts';
import { translateExpression, hasSubquery } from './expression.ts';
import { policyObjectsSql, rolePredicate, viewKinds } from './policy-sql.ts';
import type { DmlGuard } from './rewrite.ts';
import { quoteIdent, viewName, viewNames, isPolicyObject, FILTERED_ROLES, type FilteredRole } from './names.ts';
import { tableShape } from './barrier.ts';
import { foldCase } from './tokens.ts';

export interface AccessState {
  grants: Grants;
  protectedTables: Set<string>;
  broken: Set<string>;
  mainObjects: Map<string, string>;
  /**
   * Tables whose policy objects were built; reads of exactly these are rewritten. A protected
   * table without a view (broken, or not created yet) is not: the read reaches main.T and the
   * authorizer refuses it with a 403 naming the table.
   */
  views: Set<string>;
  /** How UPDATE/DELETE/upsert on each built table are kept off hidden rows (rewrite.ts). */
  dmlGuards: Map<string, DmlGuard>;
  /** Tables with an ON CONFLICT REPLACE constraint: writing them may delete rows. */
  replaceTables: Set<string>;
  /** Per built table, the (folded) columns its policies read. */
  policyColumns: Map<string, Set<string>>;
}

/**
 * Drops our TEMP policy views and triggers: all of them, or those of one table (before an
 * admin's ALTER TABLE, which SQLite checks against every view and trigger that names the
 * table, ours included; the guard builds them again before the next statement).
 */
export function dropPolicyObjects(db: DatabaseSync, table?: string): void {
  const rows = db.prepare("SELECT type, name, lower(tbl_name) AS tbl FROM temp.sqlite_schema WHERE type IN ('view', 'trigger')").all() as Array<{ type: string; name: string; tbl: string }>;
  const ours = table === undefined ? null : new Set(viewNames(table));
  for (const row of rows) {
    if (!isPolicyObject(row.name)) continue;
    if (ours !== null && !ours.has(row.name) && row.tbl !== foldCase(table!)) continue;
    db.exec(`DROP ${row.type === 'view' ? 'VIEW' : 'TRIGGER'} IF EXISTS temp.${quoteIdent(row.name)}`);
  }
}

function translated(policy: RowPolicy): RowPolicy {
  return {
    ...policy,
    using: policy.using === null ? null : translateExpression(policy.using),
    check: policy.check === null ? null : translateExpression(policy.check),
  };
}

/**
 * Creates the objects of one table and returns how its DML is guarded; on failure removes what
 * it made and returns null.
 */
function buildTable(db: DatabaseSync, table: string, policies: RowPolicy[]): { guard: DmlGuard; columns: Set<string> } | null {
  db.exec('SAVEPOINT _wce_policy_build');
  try {
    const expressions = policies.flatMap((p) => [p.using, p.check]).filter((e): e is string => e !== null);
    const shape = tableShape(db, table, expressions);
    const ready = policies.map(translated);
    for (const sql of policyObjectsSql(table, shape, ready)) db.exec(sql);
    // SQLite resolves names in views and trigger bodies only when a statement uses them, so
    // compile one statement per event now: a policy naming a column that is gone fails here.
    const on = `main.${quoteIdent(table)}`;
    const first = quoteIdent(shape.columns[0]);
    for (const role of FILTERED_ROLES) {
      for (const kind of viewKinds(shape)) db.prepare(`SELECT * FROM temp.${quoteIdent(viewName(kind, table, role))}`);
    }
    db.prepare(`INSERT INTO ${on} DEFAULT VALUES`);
    db.prepare(`UPDATE ${on} SET ${first} = ${first}`);
    db.prepare(`DELETE FROM ${on}`);
    db.exec('RELEASE _wce_policy_build');
    // A policy with a subquery is evaluated by SQLite after simpler terms, and its reads must
    // stay inside our policy objects: no inline row filter then, only the DML view.
    const inline = expressions.some(hasSubquery)
      ? null
      : Object.fromEntries(FILTERED_ROLES.map((role) => [role, rolePredicate(ready, role)])) as Record<FilteredRole, string>;
    return { guard: { viaView: !shape.withoutRowid, predicates: inline }, columns: shape.policyColumns };
  } catch {
    db.exec('ROLLBACK TO _wce_policy_build');
    db.exec('RELEASE _wce_policy_build');
    return null;
  }
}

/**
 * Reloads grants and policies and rebuilds the TEMP policy objects.
 * @example const state = buildAccessState(db) // inside guard.trusted(...)
 */
export function buildAccessState(db: DatabaseSync): AccessState {
  dropPolicyObjects(db);
  const mainObjects = loadMainObjects(db);
  const byTable = new Map<string, { name: string; policies: RowPolicy[] }>();
  for (const policy of loadPolicies(db)) {
    const key = foldCase(policy.table);
    const entry = byTable.get(key) ?? { name: policy.table, policies: [] };
    entry.policies.push(policy);
    byTable.set(key, entry);
  }
  const broken = new Set<string>();
  const views = new Set<string>();
  const dmlGuards = new Map<string, DmlGuard>();
  const policyColumns = new Map<string, Set<string>>();
  for (const [key, { name, policies }] of byTable) {
    const type = mainObjects.get(key);
    if (type === undefined) continue; // no table yet: references fail on the missing view
    const built = type === 'table' ? buildTable(db, name, policies) : null;
    if (built === null) {
      broken.add(key);
      continue;
    }
    views.add(key);
    dmlGuards.set(key, built.guard);
    policyColumns.set(key, built.columns);
  }
  return {
    grants: loadGrants(db), protectedTables: new Set(byTable.keys()), broken, mainObjects, views, dmlGuards,
    replaceTables: loadReplaceTables(db), policyColumns,
  };
}

/** Tables whose definition resolves a constraint conflict with REPLACE. */
function loadReplaceTables(db: DatabaseSync): Set<string> {
  const rows = db.prepare("SELECT lower(name) AS name, sql FROM main.sqlite_schema WHERE type = 'table' AND sql LIKE '%replace%'").all() as Array<{ name: string; sql: string }>;
  return new Set(rows.filter((row) => /\bON\s+CONFLICT\s+REPLACE\b/i.test(row.sql)).map((row) => row.name));
}
