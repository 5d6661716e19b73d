/**
 * Names of WCE's TEMP policy objects. All begin with `_wce_`, a prefix tenant SQL can never
 * write (tokens.ts), so the authorizer can trust a context (5th argument) that names one.
 *
 * Per protected table T (folded name t) there are four views and three triggers:
 * `_wce_rls_t` / `_wce_rlb_t` — rows T shows the running principal, with plain columns / with
 * barrier columns (barrier.ts); `_wce_dml_t` / `_wce_dmb_t` — the same with each row's rowid,
 * through which UPDATE and DELETE find their rows; `_wce_pol_t_insert|update|delete`.
 */
import { foldCase } from './tokens.ts';

export const TRIGGER_PREFIX = '_wce_pol_';
/** The rowid column of a DML view. */
export const DML_ROWID = '_wce_rowid';

const VIEW_PREFIXES = { read: '_wce_rls_', readBarrier: '_wce_rlb_', dml: '_wce_dml_', dmlBarrier: '_wce_dmb_' } as const;
export type ViewKind = keyof typeof VIEW_PREFIXES;

/** `name` as a double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The policy view of `kind` for `table`. @example viewName('read', 'Posts') // '_wce_rls_posts' */
export function viewName(kind: ViewKind, table: string): string {
  return VIEW_PREFIXES[kind] + foldCase(table);
}

/** All four policy views of `table`. */
export function viewNames(table: string): string[] {
  return (Object.keys(VIEW_PREFIXES) as ViewKind[]).map((kind) => viewName(kind, table));
}

/** The (folded) table a policy view name belongs to, or null for any other name. */
export function viewTable(name: string): string | null {
  const prefix = Object.values(VIEW_PREFIXES).find((p) => name.startsWith(p));
  return prefix === undefined ? null : name.slice(prefix.length);
}

/** True for the name of any of our TEMP policy views or triggers. */
export function isPolicyObject(name: string): boolean {
  return name.startsWith(TRIGGER_PREFIX) || viewTable(name) !== null;
}
