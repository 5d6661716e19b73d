/**
 * Parsing tenant SQL with sql-parser-cst (dialect sqlite) and the facts the guard needs from
 * the tree: exactly one statement, its kind, and the table a DML statement writes.
 */
import { parse, type Program } from 'sql-parser-cst';
import { ValidationError } from '../errors.ts';
import { foldCase } from './tokens.ts';

/** A CST node seen as plain data: the walkers below look at fields generically. */
export type AnyNode = { type: string; range?: [number, number]; [key: string]: unknown };

/** Parses `sql` (ranges included). Throws the parser's own error on a syntax error. */
export function parseSql(sql: string): Program {
  return parse(sql, {
    dialect: 'sqlite',
    includeRange: true,
    paramTypes: ['?', '?nr', ':name', '@name', '$name'],
  });
}

/** Where a parser error points (1-based line and column), or null when unknown. */
export function errorPosition(error: unknown): { line: number; column: number } | null {
  const message = error instanceof Error ? error.message : '';
  const match = /line (\d+), column (\d+)/i.exec(message) ?? /:(\d+):(\d+)/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

/**
 * The one statement of `program`; empty statements (a trailing `;`) are ignored.
 * More than one statement is refused: SQLite would run the first and silently drop the rest.
 * @example singleStatement(parseSql('SELECT 1;')).type // 'select_stmt'
 */
export function singleStatement(program: Program): AnyNode {
  const statements = program.statements.filter((statement) => statement.type !== 'empty');
  if (statements.length !== 1) {
    throw new ValidationError(statements.length === 0 ? 'no SQL statement given' : 'exactly one SQL statement is allowed per request; use "statements" for a batch');
  }
  return statements[0] as unknown as AnyNode;
}

/** The unquoted name of an identifier node, or null for any other node. */
export function identifierName(node: unknown): string | null {
  const n = node as AnyNode | null;
  return n && n.type === 'identifier' && typeof n.name === 'string' ? n.name : null;
}

/** `name` or `schema.name` as written in a table position, or null for anything else. */
export function tableRef(node: unknown): { schema: string | null; table: string } | null {
  const n = node as AnyNode | null;
  if (!n) return null;
  const bare = identifierName(n);
  if (bare !== null) return { schema: null, table: bare };
  if (n.type === 'member_expr') {
    const schema = identifierName(n.object);
    const table = identifierName(n.property);
    if (schema !== null && table !== null) return { schema, table };
  }
  return null;
}

/** Unwraps `t AS x` to `t`. */
function unalias(node: unknown): unknown {
  const n = node as AnyNode | null;
  return n && n.type === 'alias' ? n.expr : n;
}

/**
 * The main-schema table an INSERT/UPDATE/DELETE writes (lower case), or null for any other
 * statement or a target in another schema.
 * @example dmlTarget(singleStatement(parseSql('DELETE FROM Posts WHERE 1'))) // 'posts'
 */
export function dmlTarget(statement: AnyNode): string | null {
  const clauses = Array.isArray(statement.clauses) ? (statement.clauses as AnyNode[]) : [];
  for (const clause of clauses) {
    let target: unknown = null;
    if (clause.type === 'insert_clause') target = clause.table;
    if (clause.type === 'update_clause' || clause.type === 'delete_clause') {
      const items = (clause.tables as AnyNode | undefined)?.items as unknown[] | undefined;
      target = items?.[0];
    }
    const ref = tableRef(unalias(target));
    if (ref && (ref.schema === null || ref.schema.toLowerCase() === 'main')) return foldCase(ref.table);
  }
  return null;
}

/** The alias of the INSERT/UPDATE/DELETE target (`UPDATE posts AS p` → 'p'), or null. */
export function dmlTargetAlias(statement: AnyNode): string | null {
  const clauses = Array.isArray(statement.clauses) ? (statement.clauses as AnyNode[]) : [];
  for (const clause of clauses) {
    const target = clause.type === 'insert_clause' ? clause.table
      : clause.type === 'update_clause' || clause.type === 'delete_clause' ? ((clause.tables as AnyNode | undefined)?.items as unknown[] | undefined)?.[0]
        : undefined;
    const node = target as AnyNode | undefined;
    if (node) return node.type === 'alias' ? identifierName(node.alias) : null;
  }
  return null;
}

/**
 * True when the statement's conflict resolution is REPLACE (`REPLACE INTO`, `INSERT OR
 * REPLACE`, `UPDATE OR REPLACE`): a row in the way is deleted.
 */
export function replacesRows(statement: AnyNode): boolean {
  const clauses = Array.isArray(statement.clauses) ? (statement.clauses as AnyNode[]) : [];
  return clauses.some((clause) =>
    (clause.type === 'insert_clause' && (clause.insertKw as AnyNode | undefined)?.name === 'REPLACE')
    || ((clause.orAction as AnyNode | undefined)?.actionKw as AnyNode | undefined)?.name === 'REPLACE');
}

/** The (folded) names of every CTE defined anywhere in `statement`. */
export function cteNames(statement: AnyNode): Set<string> {
  const names = new Set<string>();
  for (const node of descendants(statement)) {
    const name = node.type === 'common_table_expr' ? identifierName(node.table) : null;
    if (name !== null) names.add(foldCase(name));
  }
  return names;
}

/** Every node below `node` (depth first), for checks that must look everywhere. */
export function* descendants(node: unknown): Generator<AnyNode> {
  if (Array.isArray(node)) {
    for (const item of node) yield* descendants(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as AnyNode;
  if (typeof n.type === 'string') yield n;
  for (const [key, value] of Object.entries(n)) {
    if (key !== 'range' && value && typeof value === 'object') yield* descendants(value);
  }
}

