/**
 * The shape of a statement the policy debugger explains: its kind, and for statements on one
 * table, the SELECT that lists the rowids of the rows the statement reaches (so each can be
 * checked against the policies). Read from the parse tree; the tenant's own WHERE text is
 * reused as it is (it still runs through the guard).
 */
import { parseSql, singleStatement, descendants, type AnyNode } from './parse.ts';
import { quoteIdent } from './names.ts';

export interface StatementShape {
  kind: 'select' | 'insert' | 'update' | 'delete' | 'other';
  /** The one table of a simple statement (no join, grouping or compound), or null. */
  table: string | null;
  /** The name the statement calls the table by (its alias, or the table). */
  ref: string | null;
  node: AnyNode | null;
}

const KINDS: Record<string, StatementShape['kind']> = {
  select_stmt: 'select', insert_stmt: 'insert', update_stmt: 'update', delete_stmt: 'delete',
};

/** `posts` or `posts AS p` → [table, ref]; anything else (a join, a subquery) → null. */
function singleTable(node: AnyNode | undefined): [string, string] | null {
  if (!node) return null;
  if (node.type === 'identifier') return [String(node.name), String(node.name)];
  if (node.type === 'alias' && (node.expr as AnyNode).type === 'identifier') {
    return [String((node.expr as AnyNode).name), String((node.alias as AnyNode).name)];
  }
  if (node.type === 'list_expr' && (node.items as AnyNode[]).length === 1) return singleTable((node.items as AnyNode[])[0]);
  return null;
}

function clause(statement: AnyNode, type: string): AnyNode | undefined {
  return (statement.clauses as AnyNode[]).find((c) => c.type === type);
}

/**
 * The kind and, when simple, the one table of `sql`.
 * @example statementShape('SELECT * FROM posts p WHERE id > 3') // { kind: 'select', table: 'posts', ref: 'p', … }
 */
export function statementShape(sql: string): StatementShape {
  let statement: AnyNode;
  try {
    statement = singleStatement(parseSql(sql)) as AnyNode;
  } catch {
    return { kind: 'other', table: null, ref: null, node: null };
  }
  const kind = KINDS[statement.type] ?? 'other';
  const none = { kind, table: null, ref: null, node: statement };
  if (kind === 'other' || kind === 'insert') return none;
  const allowed = kind === 'select'
    ? ['select_clause', 'from_clause', 'where_clause', 'order_by_clause', 'limit_clause']
    : ['update_clause', 'delete_clause', 'set_clause', 'where_clause'];
  if ((statement.clauses as AnyNode[]).some((c) => !allowed.includes(c.type))) return none;
  if (kind === 'select' && ((clause(statement, 'select_clause')!.modifiers as unknown[]).length > 0)) return none;
  const target = kind === 'select' ? clause(statement, 'from_clause')?.expr : (clause(statement, kind === 'update' ? 'update_clause' : 'delete_clause')?.tables as AnyNode | undefined);
  const found = singleTable(target as AnyNode | undefined);
  return found ? { kind, table: found[0], ref: found[1], node: statement } : none;
}

function hasPositional(node: AnyNode | undefined): boolean {
  if (!node) return false;
  for (const n of descendants(node)) if (n.type === 'parameter' && /^\?\d*$/.test(String(n.text))) return true;
  return false;
}

/**
 * The SELECT listing, as `explain_rowid`, the rowids of the rows `sql` reaches (its FROM and
 * WHERE, ORDER BY and LIMIT kept), or null when it cannot be built without renumbering
 * positional parameters (they appear before the WHERE).
 */
export function candidateRowsQuery(sql: string, shape: StatementShape): string | null {
  if (!shape.table || !shape.node || !shape.ref) return null;
  const statement = shape.node;
  const where = clause(statement, 'where_clause');
  if (shape.kind === 'select') {
    const select = clause(statement, 'select_clause')!;
    if (hasPositional(select)) return null;
    const from = clause(statement, 'from_clause')!;
    return `SELECT ${quoteIdent(shape.ref)}.rowid AS explain_rowid ${sql.slice(from.range![0])}`;
  }
  if (hasPositional(clause(statement, 'set_clause'))) return null;
  const alias = shape.ref === shape.table ? '' : ` AS ${quoteIdent(shape.ref)}`;
  const filter = where ? ` ${sql.slice(where.range![0], where.range![1])}` : '';
  return `SELECT ${quoteIdent(shape.ref)}.rowid AS explain_rowid FROM main.${quoteIdent(shape.table)}${alias}${filter}`;
}
