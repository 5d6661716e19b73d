/**
 * Evaluating row policies for a chosen principal from an owner's statement: the machinery
 * behind the policy debugger ("why can't this user see this row?") and the policy preview
 * ("who gains or loses rows if I save this?").
 *
 * The guard enforces policies through per-role views and triggers that read the *running*
 * principal; here the owner runs the statement, so each policy expression is translated with
 * the chosen principal's values as quoted SQL literals instead (expression.ts does the
 * replacement on the parse tree, never by splicing text). Runs in a sandbox child.
 */
import type { Principal } from '../auth/principal.ts';
import { literalParameters, translateExpression } from './expression.ts';
import { quoteIdent } from './names.ts';
import type { PolicyCommand, RowPolicy } from './model.ts';

type Command = Exclude<PolicyCommand, 'all'>;

/** Whether `policy` governs `command` for `role` (owner and admin bypass every policy). */
export function governs(policy: RowPolicy, command: Command, role: string): boolean {
  return (policy.commands.includes(command) || policy.commands.includes('all')) && policy.roles.includes(role);
}

/** One policy's expression for `command` as SQL with `principal`'s values; CHECK falls back to USING. */
export function literalExpression(policy: RowPolicy, which: 'using' | 'check', principal: Principal): string {
  const text = which === 'using' ? policy.using : policy.check ?? policy.using;
  return text === null ? '1' : `(${translateExpression(text, literalParameters(principal))})`;
}

/**
 * The combined visibility of a row for `principal` under `policies` (those of one table), as
 * one SQL boolean over the table's columns: some permissive policy passes and every
 * restrictive one does; no permissive policy → nothing. Owner/admin: every row.
 * @example visibility([ownPosts], 'select', alice) // "(((author = 'u-alice'\n)) IS TRUE)"
 */
export function visibility(policies: RowPolicy[], command: Command, principal: Principal): string {
  if (principal.role === 'owner' || principal.role === 'admin') return '1';
  const mine = policies.filter((p) => governs(p, command, principal.role));
  const permissive = mine.filter((p) => p.kind === 'permissive').map((p) => `${literalExpression(p, 'using', principal)} IS TRUE`);
  if (permissive.length === 0) return '0';
  const restrictive = mine.filter((p) => p.kind === 'restrictive').map((p) => `${literalExpression(p, 'using', principal)} IS TRUE`);
  return [`(${permissive.join(' OR ')})`, ...restrictive].join(' AND ');
}

export interface HidingReason { policy: string; kind: 'permissive' | 'restrictive'; using: string | null }

/**
 * For rows of `table` (by rowid), which policies hide them from `principal`: when no
 * permissive policy passes, every permissive one (each failed), then each restrictive one
 * that failed too. Returns the SELECT to run (as the owner) and a function that reads one result
 * row into reasons. The query's parameter is a JSON array of rowids.
 */
export function hidingQuery(table: string, policies: RowPolicy[], command: Command, principal: Principal): {
  sql: string;
  reasons(row: Record<string, unknown>): HidingReason[];
} {
  const mine = policies.filter((p) => governs(p, command, principal.role));
  const columns = mine.map((p, i) => `(${literalExpression(p, 'using', principal)} IS TRUE) AS "p${i}"`);
  const sql = `SELECT rowid AS "explain_rowid"${columns.map((c) => `, ${c}`).join('')} FROM main.${quoteIdent(table)} ` +
    'WHERE rowid IN (SELECT value FROM json_each(?))';
  return {
    sql,
    reasons(row) {
      const passed = (i: number) => Number(row[`p${i}`]) === 1;
      const permissive = mine.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === 'permissive');
      const describe = (p: RowPolicy): HidingReason => ({ policy: p.name, kind: p.kind, using: p.using });
      if (permissive.length === 0) return [{ policy: '(none)', kind: 'permissive', using: `no permissive ${command} policy for role ${principal.role}: nothing is visible` }];
      const restrictive = mine.map((p, i) => ({ p, i })).filter(({ p, i }) => p.kind === 'restrictive' && !passed(i)).map(({ p }) => describe(p));
      if (permissive.some(({ i }) => passed(i))) return restrictive;
      return [...permissive.map(({ p }) => describe(p)), ...restrictive];
    },
  };
}
