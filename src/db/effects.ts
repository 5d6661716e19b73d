/**
 * What a statement writes, read from its syntax: the audit log and the commit hooks need
 * the table and the kind of change, and whether a transaction is needed at all. Known read
 * statements write nothing; anything this does not recognise is treated as a write (with no
 * table) so it is audited rather than missed.
 */
import { parse, type ParserOptions } from 'sql-parser-cst';

export interface Effect {
  /** `insert`, `update`, `delete`, or the DDL kind (`create_table`, `drop_index`, …). */
  action: string;
  table: string | null;
}

const READS = new Set(['select_stmt', 'compound_select_stmt', 'explain_stmt', 'pragma_stmt', 'empty']);
const DML: Record<string, string> = { insert_stmt: 'insert', update_stmt: 'update', delete_stmt: 'delete' };
const NONE: readonly Effect[] = Object.freeze([]);
const UNKNOWN: readonly Effect[] = Object.freeze([{ action: 'sql', table: null }]);
const CACHE_SIZE = 1000;
const PARAM_TYPES: ParserOptions['paramTypes'] = ['?', '?nr', ':name', '@name', '$name'];
const cache = new Map<string, readonly Effect[]>();

type Node = { type?: string; name?: string; [key: string]: unknown };

/** The unqualified name in `t`, `main.t`, `t AS x` or a one-item list of those. */
function tableName(node: unknown): string | null {
  const n = node as Node | undefined;
  if (!n || typeof n !== 'object') return null;
  switch (n.type) {
    case 'identifier': return typeof n.name === 'string' ? n.name : null;
    case 'member_expr': return tableName(n.property);
    case 'alias': return tableName(n.expr);
    case 'list_expr': return tableName((n.items as unknown[])[0]);
    default: return null;
  }
}

function analyse(sql: string): readonly Effect[] {
  let statement: Node;
  try {
    statement = (parse(sql, { dialect: 'sqlite', paramTypes: PARAM_TYPES }).statements[0] ?? { type: 'empty' }) as Node;
  } catch {
    return UNKNOWN;
  }
  const type = statement.type ?? '';
  if (READS.has(type)) return NONE;
  const dml = DML[type];
  if (dml) {
    const clause = (statement.clauses as Node[]).find((c) => c.type === `${dml}_clause`);
    return [{ action: dml, table: tableName(clause?.table ?? clause?.tables) }];
  }
  if (/^(create|drop|alter)_/.test(type)) {
    // CREATE INDEX names its table in `table`; the other DDL forms name their object.
    const table = tableName(statement.table) ?? tableName(statement.name) ?? tableName(statement.tables);
    return [{ action: type.replace(/_stmt$/, ''), table }];
  }
  return UNKNOWN;
}

/**
 * The writes of the first statement in `sql` (callers pass one statement).
 * @example statementEffects('DELETE FROM posts WHERE id = ?') // [{ action: 'delete', table: 'posts' }]
 */
export function statementEffects(sql: string): readonly Effect[] {
  let effects = cache.get(sql);
  if (effects) return effects;
  effects = analyse(sql);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(sql, effects);
  return effects;
}
