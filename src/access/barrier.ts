/**
 * Which columns of a protected table the policy view may show as they are, and which must sit
 * behind the policy ("barrier" columns).
 *
 * Why: the view's WHERE holds the policy, and SQLite evaluates the tenant's own WHERE terms
 * after it — except for terms an index covers, which it tests while walking that index,
 * before it reads the row (and before a policy term the index does not cover), and except for
 * policies with correlated subqueries, which it tests last. A tenant term that raises an error
 * or takes long on some values (`CASE WHEN body = 'x' THEN abs(-9223372036854775808) END`)
 * would then tell whether a hidden row holds 'x'. A barrier column is shown as
 * `(SELECT c WHERE <policy>)`: NULL on a hidden row whenever it is evaluated, and a correlated
 * subquery, which SQLite tests after the policy. (A scalar subquery keeps the column's
 * affinity, unlike CASE.) The price: the tenant's terms on a barrier column cannot use an
 * index. A column stays plain when it is the rowid alias, when no index holds it, or when
 * every index holding it also holds all columns the policies read — so an admin can give a
 * hot lookup column its index back with `CREATE INDEX … (col, <policy columns>)`.
 *
 * Most statements do not need the barrier at all: comparisons, AND/OR/NOT, IN lists, BETWEEN,
 * IS [NOT] NULL, CAST, CASE and arithmetic cannot fail or take noticeably longer on a hidden
 * row (PostgreSQL calls such operators "leakproof"). Only a statement whose WHERE or JOIN ON
 * holds anything else (function calls, LIKE/GLOB, ||, ->, …) reads through the barrier views
 * (`needsBarrier`), so ordinary lookups keep every index.
 */
import type { DatabaseSync } from 'node:sqlite';
import { descendants, parseSql, type AnyNode } from './parse.ts';
import { hasSubquery } from './expression.ts';
import { foldCase } from './tokens.ts';

export interface TableShape {
  /** Column names as `SELECT *` shows them, in order. */
  columns: string[];
  /** Columns the views show without the barrier. */
  plain: Set<string>;
  /** True for a WITHOUT ROWID table (no rowid to address rows by). */
  withoutRowid: boolean;
  /** Folded names of the columns the policies read. */
  policyColumns: Set<string>;
  /** The folded name of the column that is the rowid (INTEGER PRIMARY KEY), or null. */
  rowidAlias: string | null;
}

interface ColumnRow { name: string; type: string; pk: number }

/** Expression nodes that cannot raise an error or vary in cost with the row's values. */
const LEAKPROOF_NODES = new Set([
  'identifier', 'member_expr', 'number_literal', 'string_literal', 'null_literal', 'boolean_literal', 'blob_literal',
  'parameter', 'paren_expr', 'list_expr', 'between_expr', 'postfix_op_expr', 'cast_expr', 'cast_arg', 'data_type_name',
  'case_expr', 'case_when', 'case_else', 'keyword',
]);
const LEAKPROOF_OPERATORS = new Set([
  '=', '==', '!=', '<>', '<', '<=', '>', '>=', 'AND', 'OR', 'IS', 'IS NOT', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM',
  'IN', 'NOT IN', '+', '-', '*', '/', '%', '&', '|', '<<', '>>', 'NOT', '~', 'EXISTS', 'COLLATE',
]);

function operatorName(operator: unknown): string {
  if (typeof operator === 'string') return operator.toUpperCase();
  const parts = Array.isArray(operator) ? operator : [operator];
  return parts.map((part) => String((part as AnyNode | null)?.name ?? part)).join(' ').toUpperCase();
}

/** True when `node` (not looking into subqueries, which are checked on their own) is leakproof. */
function leakproof(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(leakproof);
  if (!node || typeof node !== 'object') return true;
  const n = node as AnyNode;
  if (n.type === 'select_stmt' || n.type === 'compound_select_stmt') return true;
  if (n.type === 'binary_expr' || n.type === 'prefix_op_expr') {
    if (!LEAKPROOF_OPERATORS.has(operatorName(n.operator))) return false;
  } else if (typeof n.type === 'string' && !LEAKPROOF_NODES.has(n.type)) {
    return false;
  }
  return Object.entries(n).every(([key, value]) => key === 'range' || key === 'operator' || typeof value !== 'object' || leakproof(value));
}

/**
 * True when some WHERE or JOIN … ON of `statement` (at any depth) is not leakproof, so its
 * protected tables must be read through the barrier views.
 * @example needsBarrier(parsed("SELECT * FROM posts WHERE id = ?")) // false
 */
export function needsBarrier(statement: AnyNode): boolean {
  for (const node of descendants(statement)) {
    if ((node.type === 'where_clause' || node.type === 'join_on_specification') && !leakproof(node.expr)) return true;
  }
  return false;
}

/** Lower-case identifiers used anywhere in the expressions (a superset of the columns read). */
function namesIn(expressions: string[]): Set<string> {
  const names = new Set<string>();
  for (const expr of expressions) {
    for (const node of descendants(parseSql(`SELECT (${expr}\n)`) as unknown as AnyNode)) {
      if (node.type === 'identifier' && typeof node.name === 'string') names.add(foldCase(node.name));
    }
  }
  return names;
}

/**
 * The shape of `table` under policies whose (untranslated) expressions are `expressions`.
 * @example tableShape(db, 'posts', ['author = $user_id']).plain // Set {'id', 'author', 'title'} with an index on author only
 */
export function tableShape(db: DatabaseSync, table: string, expressions: string[]): TableShape {
  // table_xinfo, not table_info: generated columns (hidden 2 and 3) are part of `SELECT *`.
  const columnRows = db.prepare("SELECT name, type, pk FROM pragma_table_xinfo(?, 'main') WHERE hidden IN (0, 2, 3) ORDER BY cid").all(table) as unknown as ColumnRow[];
  const columns = columnRows.map((c) => c.name);
  const withoutRowid = (db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND lower(name) = lower(?)").get(table) as { wr: number } | undefined)?.wr === 1;
  const pk = columnRows.filter((c) => c.pk > 0);
  const rowidAlias = !withoutRowid && pk.length === 1 && pk[0].type.toUpperCase() === 'INTEGER' ? foldCase(pk[0].name) : null;
  const indexColumns = db.prepare("SELECT il.name AS idx, ii.cid AS cid, lower(ii.name) AS name FROM pragma_index_list(?, 'main') il, pragma_index_info(il.name) ii")
    .all(table) as Array<{ idx: string; cid: number; name: string | null }>;
  const byIndex = new Map<string, Set<string>>();
  let expressionIndex = false;
  for (const row of indexColumns) {
    if (row.cid === -2) expressionIndex = true;
    const set = byIndex.get(row.idx) ?? new Set<string>();
    if (row.name !== null) set.add(row.name);
    if (rowidAlias !== null) set.add(rowidAlias); // every index of a rowid table holds the rowid
    byIndex.set(row.idx, set);
  }
  const lowerColumns = new Set(columns.map(foldCase));
  const policyColumns = [...namesIn(expressions)].filter((name) => lowerColumns.has(name));
  const correlated = expressions.some(hasSubquery);
  const plain = new Set<string>();
  for (const column of columns) {
    const lower = foldCase(column);
    const holders = [...byIndex.values()].filter((cols) => cols.has(lower));
    const safe = lower === rowidAlias
      || (!correlated && !expressionIndex && holders.every((cols) => policyColumns.every((p) => cols.has(p))));
    if (safe) plain.add(column);
  }
  return { columns, plain, withoutRowid, policyColumns: new Set(policyColumns), rowidAlias };
}
