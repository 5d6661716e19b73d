/**
 * The SQL of the TEMP objects that enforce row policies on one table T (PostgreSQL's model):
 *
 * - view `_wce_rls_t`: `SELECT * FROM main.T WHERE <select USING>`; reads are rewritten to it.
 * - trigger `_wce_pol_t_delete`: BEFORE DELETE, a row failing (delete USING AND select USING)
 *   is skipped with RAISE(IGNORE), as PostgreSQL silently skips rows a policy hides.
 * - trigger `_wce_pol_t_update`: BEFORE UPDATE, first the same skip on OLD, then the CHECK on
 *   NEW: a violation aborts the statement with a message naming the policy.
 * - trigger `_wce_pol_t_insert`: BEFORE INSERT, the CHECK on NEW.
 *
 * One trigger per event holds all steps in order, so "hidden row → skipped" always wins over
 * "bad new row → error" (SQLite does not promise an order between separate triggers, and an
 * error about a row the caller cannot see would reveal that it exists).
 *
 * Combination: for each command, policies whose roles include the running role apply;
 * permissive ones are OR'ed, restrictive ones AND'ed, and with no permissive policy the answer
 * is false. NULL counts as false (`IS TRUE`). Owner and admin bypass everything. The role
 * test is inside the SQL (`wce_role()`), so one set of objects serves every principal.
 *
 * Row expressions in triggers are evaluated against a one-row derived table named like T
 * (`SELECT NEW."a" AS "a", … ) AS "T"`), so an expression written for the table (bare or
 * T-qualified column names, subqueries) means the same thing in the view and in the triggers
 * without rewriting its column references.
 */
import type { RowPolicy, PolicyCommand } from './model.ts';
import { quoteIdent, viewName, DML_ROWID, TRIGGER_PREFIX, type ViewKind } from './names.ts';
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
 * The row filter of the policy view for the running principal: what a SELECT may see.
 * @example selectPredicate([ownPosts]) // "wce_role() IN ('owner', 'admin') OR (…)"
 */
export function selectPredicate(policies: TranslatedPolicy[]): string {
  return `${BYPASS} OR ${usingOf(policies, 'select')}`;
}

/** The select list of a policy view: all columns plain, or barrier columns behind `predicate`. */
function viewColumns(shape: TableShape, predicate: string, barrier: boolean): string {
  return shape.columns
    .map((c) => (!barrier || shape.plain.has(c) ? quoteIdent(c) : `(SELECT ${quoteIdent(c)} WHERE ${predicate}) AS ${quoteIdent(c)}`))
    .join(', ');
}

/**
 * The statements that create the policy objects of `table` (its name as in the schema) with
 * the given shape (barrier.ts), from its translated `policies`: the views of names.ts (plain
 * and barrier; the DML views, with each row's rowid, only for rowid tables) and the triggers.
 * @example policyObjectsSql('posts', shape, [ownPosts]) // ['CREATE TEMP VIEW …', 'CREATE TEMP TRIGGER …', …]
 */
export function policyObjectsSql(table: string, shape: TableShape, policies: TranslatedPolicy[]): string[] {
  const { columns } = shape;
  const lower = foldCase(table);
  const on = `main.${quoteIdent(table)}`;
  const predicate = selectPredicate(policies);
  const trigger = (event: string) => quoteIdent(`${TRIGGER_PREFIX}${lower}_${event.toLowerCase()}`);
  const skipUnless = (command: 'update' | 'delete') =>
    `SELECT RAISE(IGNORE) WHERE NOT ${rowSatisfies(table, columns, 'OLD', `${usingOf(policies, command)} AND ${usingOf(policies, 'select')}`)};`;
  const body = (event: string, steps: string[]) =>
    `CREATE TEMP TRIGGER ${trigger(event)} BEFORE ${event} ON ${on} FOR EACH ROW WHEN NOT ${BYPASS} BEGIN ${steps.join(' ')} END`;
  const view = (kind: ViewKind, barrier: boolean) => {
    const rowid = kind === 'dml' || kind === 'dmlBarrier' ? `rowid AS ${quoteIdent(DML_ROWID)}, ` : '';
    return `CREATE TEMP VIEW ${quoteIdent(viewName(kind, table))} AS SELECT ${rowid}${viewColumns(shape, predicate, barrier)} FROM ${on} WHERE ${predicate}`;
  };
  return [
    view('read', false), view('readBarrier', true),
    ...(shape.withoutRowid ? [] : [view('dml', false), view('dmlBarrier', true)]),
    body('DELETE', [skipUnless('delete')]),
    body('UPDATE', [skipUnless('update'), ...checkSteps(table, columns, policies, 'update')]),
    body('INSERT', checkSteps(table, columns, policies, 'insert')),
  ];
}
