/**
 * The SQL of the TEMP objects that enforce row policies on one table T (PostgreSQL's model):
 *
 * - views `_wce_rls_t__R` (names.ts), one per filtered role R: `SELECT * FROM main.T WHERE
 *   <R's select USING>`; the reads of R's statements are rewritten to it. No role test and no
 *   owner/admin bypass inside: the rewriter picks the view by the principal's role and never
 *   rewrites owner/admin statements, so the WHERE is the policy alone and SQLite plans it as
 *   if written by hand (an equality on an indexed column becomes an index SEARCH).
 * - trigger `_wce_pol_t_delete`: BEFORE DELETE, a row failing (delete USING AND select USING)
 *   is skipped with RAISE(IGNORE), as PostgreSQL silently skips rows a policy hides.
 * - trigger `_wce_pol_t_update`: BEFORE UPDATE, first the same skip on OLD, then the CHECK on
 *   NEW: a violation aborts the statement with a message naming the policy.
 * - trigger `_wce_pol_t_insert`: BEFORE INSERT, the CHECK on NEW.
 *
 * One trigger per event holds all steps in order, so "hidden row → skipped" always wins over
 * "bad new row → error" (SQLite does not promise an order between separate triggers, and an
 * error about a row the caller cannot see would reveal that it exists). A trigger fires for
 * every principal, so it tests the role in SQL (`wce_role()`): owner and admin skip it in its
 * WHEN, the rest in the combination below. Triggers touch one row each (the plan of the
 * statement that fires them does not change), so the role tests cost a few function calls per
 * written row, not a scan.
 *
 * Combination: for each command, policies whose roles include the running role apply;
 * permissive ones are OR'ed, restrictive ones AND'ed, and with no permissive policy the answer
 * is false. NULL counts as false: in the triggers with `IS TRUE` (their tests sit under NOT,
 * where a NULL would flip to "allowed"); in the views because a NULL WHERE drops the row.
 *
 * Row expressions in triggers are evaluated against a one-row derived table named like T
 * (`SELECT NEW."a" AS "a", … ) AS "T"`), so an expression written for the table (bare or
 * T-qualified column names, subqueries) means the same thing in the view and in the triggers
 * without rewriting its column references.
 */
import type { RowPolicy, PolicyCommand } from './model.ts';
import { quoteIdent, viewName, DML_ROWID, TRIGGER_PREFIX, FILTERED_ROLES, type FilteredRole, type ViewKind } from './names.ts';
import type { TableShape } from './barrier.ts';
import { foldCase } from './tokens.ts';

/** A policy whose expressions were already translated (see expression.ts). */
export type TranslatedPolicy = RowPolicy;

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const BYPASS = "wce_role() IN ('owner', 'admin')";

function roleTest(policy: RowPolicy): string {
  return policy.roles.length === 0 ? '0' : `wce_role() IN (${policy.roles.map(literal).join(', ')})`;
}

function appliesTo(policy: RowPolicy, command: Exclude<PolicyCommand, 'all'>): boolean {
  return policy.commands.includes(command) || policy.commands.includes('all');
}

type Which = 'using' | 'check';

/** The expression a policy contributes: CHECK falls back to USING (PostgreSQL), absent means true. */
function expressionOf(policy: RowPolicy, which: Which): string {
  const text = which === 'using' ? policy.using : policy.check ?? policy.using;
  return text === null ? '1' : `(${text})`;
}

/** Permissive policies of `command`, OR'ed (false when there is none). */
function permissive(policies: RowPolicy[], command: Exclude<PolicyCommand, 'all'>, which: Which): string {
  const terms = policies
    .filter((p) => p.kind === 'permissive' && appliesTo(p, command))
    .map((p) => `(${roleTest(p)} AND ${expressionOf(p, which)} IS TRUE)`);
  return terms.length === 0 ? '0' : `(${terms.join(' OR ')})`;
}

/** Restrictive policies of `command`, AND'ed (true when there is none). */
function restrictive(policies: RowPolicy[], command: Exclude<PolicyCommand, 'all'>, which: Which): string {
  const terms = policies
    .filter((p) => p.kind === 'restrictive' && appliesTo(p, command))
    .map((p) => `(NOT ${roleTest(p)} OR ${expressionOf(p, which)} IS TRUE)`);
  return terms.length === 0 ? '1' : terms.join(' AND ');
}

/** USING of `command` for the running role, without the owner/admin bypass. */
function usingOf(policies: RowPolicy[], command: Exclude<PolicyCommand, 'all'>): string {
  return `(${permissive(policies, command, 'using')} AND ${restrictive(policies, command, 'using')})`;
}

/** `EXISTS` over the one-row table made of OLD or NEW, filtered by `condition`. */
function rowSatisfies(table: string, columns: string[], row: 'OLD' | 'NEW', condition: string): string {
  const select = columns.map((c) => `${row}.${quoteIdent(c)} AS ${quoteIdent(c)}`).join(', ');
  return `EXISTS (SELECT 1 FROM (SELECT ${select}) AS ${quoteIdent(table)} WHERE ${condition})`;
}

function violation(policyNames: string[], table: string): string {
  const names = policyNames.map((n) => `"${n}"`).join(' or ');
  return literal(policyNames.length === 0
    ? `new row violates row policy for table "${table}" (no policy allows it)`
    : `new row violates row policy ${names} for table "${table}"`);
}

/** The CHECK steps of an INSERT or UPDATE trigger body. */
function checkSteps(table: string, columns: string[], policies: RowPolicy[], command: 'insert' | 'update'): string[] {
  const permissiveNames = policies.filter((p) => p.kind === 'permissive' && appliesTo(p, command)).map((p) => p.name);
  const steps = [`SELECT RAISE(ABORT, ${violation(permissiveNames, table)}) WHERE NOT ${rowSatisfies(table, columns, 'NEW', permissive(policies, command, 'check'))};`];
  for (const p of policies.filter((p) => p.kind === 'restrictive' && appliesTo(p, command))) {
    steps.push(`SELECT RAISE(ABORT, ${violation([p.name], table)}) WHERE ${roleTest(p)} AND NOT ${rowSatisfies(table, columns, 'NEW', `${expressionOf(p, 'check')} IS TRUE`)};`);
  }
  return steps;
}

/**
 * "No row", spelled so that SQLite's parser does not fold it: `x AND 0` becomes a bare `0` as
 * it is parsed, which would drop the column anchor of a view (columnAnchor); `NOT 1` is
 * folded only when the statement is planned (a constant test before the loop: no scan).
 */
const NO_ROW = 'NOT 1';

/**
 * The row filter of role R's policy views: R's combined select USING, with no role test.
 * Only for the top of a WHERE, never under NOT: there a NULL drops the row, and since policies
 * are only OR'ed and AND'ed, a NULL term can make the whole TRUE only where FALSE would too,
 * so no `IS TRUE` is needed (it would hide an indexable equality from the planner).
 * @example rolePredicate([ownPosts], 'user') // "((author = wce_user_id()\n))"
 */
export function rolePredicate(policies: TranslatedPolicy[], role: FilteredRole): string {
  const mine = policies.filter((p) => p.roles.includes(role) && appliesTo(p, 'select'));
  const permissiveTerms = mine.filter((p) => p.kind === 'permissive').map((p) => expressionOf(p, 'using'));
  if (permissiveTerms.length === 0) return NO_ROW;
  const restrictiveTerms = mine.filter((p) => p.kind === 'restrictive').map((p) => expressionOf(p, 'using'));
  const anyOf = `(${permissiveTerms.join(' OR ')})`;
  return restrictiveTerms.length === 0 ? anyOf : `${anyOf} AND ${restrictiveTerms.join(' AND ')}`;
}

/**
 * An always-true WHERE term naming a column of T, put in front of every view's filter, or ''
 * when T has no column but its rowid. Why: SQLite reports the read of a table none of whose
 * columns a statement uses (`SELECT count(*)` through a view whose filter names no column, such
 * as NO_ROW, `1` or `$role = 'user'`) with an empty column name and no view context, which the
 * authorizer cannot tell from a raw read of T and so refuses. With a column named in the
 * view, every read of T is reported with the view as its context. SQLite drops `c OR 1` when
 * it plans the statement, after it noted the column, so the term is never evaluated and leaves
 * the index choice alone (were it evaluated, it would be 1 for any value, and cannot fail).
 * Not `c IS NULL OR 1`: on a NOT NULL column SQLite folds `c IS NULL` while resolving names,
 * and the column is gone. Any column serves; one that `predicate` names (a word of its text)
 * is preferred, so an index that covers the policy still covers the statement.
 * @example columnAnchor(shape, 'author = wce_user_id()') // '("author" OR 1) AND '
 */
function columnAnchor(shape: TableShape, predicate: string): string {
  const words = new Set((predicate.match(/[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/g) ?? []).map(foldCase));
  const candidates = shape.columns.filter((c) => foldCase(c) !== shape.rowidAlias);
  const column = candidates.find((c) => words.has(foldCase(c))) ?? candidates[0];
  return column === undefined ? '' : `(${quoteIdent(column)} OR 1) AND `;
}

/** The select list of a policy view: all columns plain, or barrier columns behind `predicate`. */
function viewColumns(shape: TableShape, predicate: string, barrier: boolean): string {
  return shape.columns
    .map((c) => (!barrier || shape.plain.has(c) ? quoteIdent(c) : `(SELECT ${quoteIdent(c)} WHERE ${predicate}) AS ${quoteIdent(c)}`))
    .join(', ');
}

/** The kinds of policy views `shape` gets: DML views (with each row's rowid) only for rowid tables. */
export function viewKinds(shape: TableShape): ViewKind[] {
  return shape.withoutRowid ? ['read', 'readBarrier'] : ['read', 'readBarrier', 'dml', 'dmlBarrier'];
}

/**
 * The statements that create the policy objects of `table` (its name as in the schema) with
 * the given shape (barrier.ts), from its translated `policies`: the views of names.ts for every
 * filtered role (plain and barrier; DML views as viewKinds says) and the triggers.
 * @example policyObjectsSql('posts', shape, [ownPosts]) // ['CREATE TEMP VIEW …', 'CREATE TEMP TRIGGER …', …]
 */
export function policyObjectsSql(table: string, shape: TableShape, policies: TranslatedPolicy[]): string[] {
  const { columns } = shape;
  const lower = foldCase(table);
  const on = `main.${quoteIdent(table)}`;
  const trigger = (event: string) => quoteIdent(`${TRIGGER_PREFIX}${lower}_${event.toLowerCase()}`);
  const skipUnless = (command: 'update' | 'delete') =>
    `SELECT RAISE(IGNORE) WHERE NOT ${rowSatisfies(table, columns, 'OLD', `${usingOf(policies, command)} AND ${usingOf(policies, 'select')}`)};`;
  const body = (event: string, steps: string[]) =>
    `CREATE TEMP TRIGGER ${trigger(event)} BEFORE ${event} ON ${on} FOR EACH ROW WHEN NOT ${BYPASS} BEGIN ${steps.join(' ')} END`;
  const view = (kind: ViewKind, role: FilteredRole) => {
    const predicate = rolePredicate(policies, role);
    const anchor = columnAnchor(shape, predicate);
    const rowid = kind === 'dml' || kind === 'dmlBarrier' ? `rowid AS ${quoteIdent(DML_ROWID)}, ` : '';
    const barrier = kind === 'readBarrier' || kind === 'dmlBarrier';
    return `CREATE TEMP VIEW ${quoteIdent(viewName(kind, table, role))} AS SELECT ${rowid}${viewColumns(shape, predicate, barrier)} FROM ${on} WHERE ${anchor}${predicate}`;
  };
  return [
    ...FILTERED_ROLES.flatMap((role) => viewKinds(shape).map((kind) => view(kind, role))),
    body('DELETE', [skipUnless('delete')]),
    body('UPDATE', [skipUnless('update'), ...checkSteps(table, columns, policies, 'update')]),
    body('INSERT', checkSteps(table, columns, policies, 'insert')),
  ];
}
