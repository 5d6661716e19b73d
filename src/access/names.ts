/**
 * Names of WCE's TEMP policy objects. All begin with `_wce_`, a prefix tenant SQL can never
 * write (tokens.ts), so the authorizer can trust a context (5th argument) that names one.
 *
 * Per protected table T (folded name t) there are three triggers, `_wce_pol_t_insert|update|
 * delete`, and for each role R whose reads are filtered (FILTERED_ROLES) four views:
 * `_wce_rls_t__R` / `_wce_rlb_t__R` — rows T shows role R, with plain columns / with barrier
 * columns (barrier.ts); `_wce_dml_t__R` / `_wce_dmb_t__R` — the same with each row's rowid,
 * through which UPDATE and DELETE find their rows.
 *
 * Why one view per (table, role) rather than one per table: a view serving several roles must
 * test the role inside its WHERE (`wce_role() IN (…) AND …` OR'ed per role, plus a bypass
 * branch), and SQLite cannot plan an index lookup through such an OR: the caller's list of 20
 * posts under `author = $user_id` scanned the whole table. A view per role holds only that
 * role's combined policy (`author = wce_user_id()`), which SQLite plans like the same WHERE
 * written by hand. Inlining the policy into the tenant's statement instead would plan as well,
 * but the authorizer could then no longer tell a filtered read of T from a raw one; a view's
 * name in the 5th argument is what it checks (authorizer.ts allows a read of T only through a
 * view of the principal's own role, so a statement naming another role's view fails).
 */
import type { Role } from '../auth/users.ts';
import { foldCase } from './tokens.ts';

export const TRIGGER_PREFIX = '_wce_pol_';
/** The rowid column of a DML view. */
export const DML_ROWID = '_wce_rowid';

/** Roles whose reads go through policy views; owner and admin bypass row policies. */
export const FILTERED_ROLES = ['user', 'anonymous'] as const satisfies readonly Role[];
export type FilteredRole = (typeof FILTERED_ROLES)[number];

const VIEW_PREFIXES = { read: '_wce_rls_', readBarrier: '_wce_rlb_', dml: '_wce_dml_', dmlBarrier: '_wce_dmb_' } as const;
export type ViewKind = keyof typeof VIEW_PREFIXES;

/** `role` when its reads are filtered by row policies, null for owner/admin (and any role not listed). */
export function filteredRole(role: Role): FilteredRole | null {
  return (FILTERED_ROLES as readonly string[]).includes(role) ? (role as FilteredRole) : null;
}

/** `name` as a double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The policy view of `kind` for `table` and `role`. @example viewName('read', 'Posts', 'user') // '_wce_rls_posts__user' */
export function viewName(kind: ViewKind, table: string, role: FilteredRole): string {
  return `${VIEW_PREFIXES[kind]}${foldCase(table)}__${role}`;
}

/** All policy views of `table`, every kind for every role. */
export function viewNames(table: string): string[] {
  return (Object.keys(VIEW_PREFIXES) as ViewKind[]).flatMap((kind) => FILTERED_ROLES.map((role) => viewName(kind, table, role)));
}

/**
 * The (folded) table and the role of a policy view name, or null for any other name. Exact
 * match only: SQLite reports a context as written, and only the rewriter writes these names
 * (always as viewName spells them), so any other spelling is not ours and decides nothing.
 * The role is the suffix, so a table name containing `__` is still read back whole.
 * @example policyView('_wce_rls_a__b__user') // { table: 'a__b', role: 'user' }
 */
export function policyView(name: string): { table: string; role: FilteredRole } | null {
  const prefix = Object.values(VIEW_PREFIXES).find((p) => name.startsWith(p));
  const role = FILTERED_ROLES.find((r) => name.endsWith(`__${r}`));
  if (prefix === undefined || role === undefined || name.length <= prefix.length + role.length + 2) return null;
  return { table: name.slice(prefix.length, -(role.length + 2)), role };
}

/** True for the name of any of our TEMP policy views or triggers. */
export function isPolicyObject(name: string): boolean {
  return name.startsWith(TRIGGER_PREFIX) || policyView(name) !== null;
}
