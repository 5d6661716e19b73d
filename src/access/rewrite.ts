/**
 * The read rewriter: every reference to a policy-protected table T in a table position
 * becomes `temp."_wce_rls_T__R" AS "T"`, the TEMP view that shows only the rows role R (the
 * principal's role) may see (see policy-sql.ts) — or `_wce_rlb_T__R`, its barrier twin, when
 * a filter of the statement is not leakproof (barrier.ts). UPDATE/DELETE on T are made to pick
 * their rows through T's DML view for R (guardDmlRows). Owner/admin statements are not
 * rewritten at all (guard.ts): they bypass row policies and read the tables themselves.
 *
 * Table positions: FROM clauses of every SELECT wherever it sits (top level, subqueries in any
 * clause, CTE bodies, compound members, INSERT … SELECT sources, UPDATE … FROM), join operands,
 * parenthesised table lists, INDEXED BY tables, and `x IN T`. The walk is generic: it visits
 * every node of the tree and acts when it meets one of those positions, so a new place where
 * a SELECT can appear is covered without a change here.
 *
 * Security: the rewriter is a convenience, not the fence. The authorizer denies any read of
 * main.T that does not come through one of T's policy views, so a reference this code misses
 * makes the statement fail; it never shows hidden rows. Naming the view of a role other than
 * the principal's fails the same way, so a rewrite made for one role can never serve another.
 * DML targets (INSERT INTO T, UPDATE T, DELETE FROM T) stay as they are: their rows are guarded
 * by the policy triggers.
 *
 * @example
 *   rewriteReads('SELECT * FROM posts p WHERE id IN (SELECT id FROM posts)', 'user', new Set(['posts']))
 *   // 'SELECT * FROM temp."_wce_rls_posts__user" p WHERE id IN (SELECT id FROM temp."_wce_rls_posts__user" AS "posts")'
 */
import { foldCase } from './tokens.ts';
import { quoteIdent, viewName, DML_ROWID, type FilteredRole } from './names.ts';
import { needsBarrier } from './barrier.ts';
import { parseSql, singleStatement, tableRef, identifierName, dmlTarget, dmlTargetAlias, descendants, type AnyNode } from './parse.ts';

const STORED_BODIES = new Set(['create_view_stmt', 'create_trigger_stmt']);

interface Edit { start: number; end: number; text: string }

class Rewriter {
  readonly edits: Edit[] = [];
  private readonly protectedTables: ReadonlySet<string>;
  private readonly kind: 'read' | 'readBarrier';
  private readonly role: FilteredRole;

  constructor(protectedTables: ReadonlySet<string>, barrier: boolean, role: FilteredRole) {
    this.protectedTables = protectedTables;
    this.kind = barrier ? 'readBarrier' : 'read';
    this.role = role;
  }

  private view(table: string): string {
    return `temp.${quoteIdent(viewName(this.kind, table, this.role))}`;
  }

  /** The protected table `node` names in a table position, or null. CTE names shadow tables. */
  private protectedName(node: unknown, ctes: ReadonlySet<string>): string | null {
    const ref = tableRef(node);
    if (!ref) return null;
    const table = foldCase(ref.table);
    if (ref.schema === null && ctes.has(table)) return null;
    if (ref.schema !== null && ref.schema.toLowerCase() !== 'main') return null; // temp.T is not main.T; the authorizer decides
    return this.protectedTables.has(table) ? table : null;
  }

  private replace(node: unknown, text: string): void {
    const range = (node as AnyNode).range;
    if (!range) throw new Error('parser returned a node without a range');
    this.edits.push({ start: range[0], end: range[1], text });
  }

  /** A node in a table position (FROM item, join operand, …). */
  private table(node: unknown, ctes: ReadonlySet<string>): void {
    const n = node as AnyNode | null;
    if (!n || typeof n !== 'object') return;
    const name = this.protectedName(n, ctes);
    if (name !== null) return this.replace(n, `${this.view(name)} AS ${quoteIdent(name)}`);
    switch (n.type) {
      case 'alias': {
        const aliased = this.protectedName(n.expr, ctes);
        if (aliased !== null) return this.replace(n.expr, this.view(aliased));
        return this.table(n.expr, ctes);
      }
      case 'join_expr':
        this.table(n.left, ctes);
        this.table(n.right, ctes);
        return this.walk(n.specification, ctes);
      case 'paren_expr':
        return this.table(n.expr, ctes);
      case 'indexed_table':
      case 'not_indexed_table':
        return this.table(n.table, ctes);
      default:
        return this.walk(n, ctes);
    }
  }

  /** Any node: looks for table positions below it. */
  walk(node: unknown, ctes: ReadonlySet<string>): void {
    if (Array.isArray(node)) {
      for (const item of node) this.walk(item, ctes);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as AnyNode;
    const scope = withCtes(n, ctes);
    if (n.type === 'from_clause') return this.table(n.expr, scope);
    if (n.type === 'binary_expr' && isInOperator(n.operator)) {
      // `x IN posts` reads the whole table: make it `x IN (SELECT * FROM <view>)`.
      const name = this.protectedName(n.right, scope);
      if (name !== null) {
        this.walk(n.left, scope);
        return this.replace(n.right, `(SELECT * FROM ${this.view(name)})`);
      }
    }
    for (const [key, value] of Object.entries(n)) {
      if (key !== 'range' && value && typeof value === 'object') this.walk(value, scope);
    }
  }
}

function isInOperator(operator: unknown): boolean {
  const parts = Array.isArray(operator) ? operator : [operator];
  return parts.some((part) => (part as AnyNode | null)?.type === 'keyword' && (part as AnyNode).name === 'IN');
}

/** `ctes` plus the CTE names a WITH clause of `node` introduces. */
function withCtes(node: AnyNode, ctes: ReadonlySet<string>): ReadonlySet<string> {
  if (!Array.isArray(node.clauses)) return ctes;
  const withClause = (node.clauses as AnyNode[]).find((clause) => clause?.type === 'with_clause');
  if (!withClause) return ctes;
  const names = new Set(ctes);
  for (const cte of ((withClause.tables as AnyNode).items as AnyNode[])) {
    const name = identifierName(cte.table);
    if (name !== null) names.add(foldCase(name));
  }
  return names;
}

/** How UPDATE/DELETE/upsert on one protected table are kept off its hidden rows. */
export interface DmlGuard {
  /** A DML view exists (rowid tables): UPDATE and DELETE pick their rows through it. */
  viaView: boolean;
  /**
   * Per role, its views' row filter when no policy has a subquery, for WITHOUT ROWID tables.
   * It is put only at the top of a WHERE (rolePredicate in policy-sql.ts: no NOT around it).
   */
  predicates: Readonly<Record<FilteredRole, string>> | null;
}

/**
 * UPDATE/DELETE on a protected table pick their rows through its DML view:
 * `WHERE <w>` becomes `WHERE T.rowid IN (SELECT _wce_rowid FROM temp._wce_dml_t__R AS T WHERE <w>)`
 * (no WHERE: all rows of the view). The triggers already keep hidden rows unchanged; this keeps
 * the tenant's WHERE and SET expressions from ever being evaluated on a hidden row, where an
 * error or a delay (`CASE WHEN body = 'x' THEN abs(-9223372036854775808) END`) would tell
 * whether the row matches — the view shows barrier columns as NULL there (barrier.ts).
 * An upsert's DO UPDATE touches the one row in the way and evaluates its WHERE left to right,
 * so a visibility test goes in front: `EXISTS (… _wce_dml_t__R … rowid = T.rowid) AND (<w>)`.
 * WITHOUT ROWID tables have no DML view and get the policy's own filter (when it has no
 * subquery) in front instead.
 */
function guardDmlRows(statement: AnyNode, guards: ReadonlyMap<string, DmlGuard>, role: FilteredRole, barrier: boolean, edits: Edit[]): void {
  const target = dmlTarget(statement);
  const guard = target === null ? undefined : guards.get(target);
  if (guard === undefined || target === null || !Array.isArray(statement.clauses)) return;
  const clauses = statement.clauses as AnyNode[];
  const name = quoteIdent(dmlTargetAlias(statement) ?? target);
  const view = (kind: 'dml' | 'dmlBarrier') => `temp.${quoteIdent(viewName(kind, target, role))}`;
  const rowid = quoteIdent(DML_ROWID);
  const filter = guard.predicates === null ? null : `(${guard.predicates[role]})`;
  /** Puts `head` … `tail` around an existing WHERE expression, or adds `WHERE whole` after `after`. */
  const wrap = (where: AnyNode | undefined, after: AnyNode | undefined, head: string, tail: string, whole: string) => {
    const expr = where?.expr as AnyNode | undefined;
    if (expr?.range) edits.push({ start: expr.range[0], end: expr.range[0], text: head }, { start: expr.range[1], end: expr.range[1], text: tail });
    else if (after?.range) edits.push({ start: after.range[1], end: after.range[1], text: ` WHERE ${whole}` });
  };
  if (statement.type === 'update_stmt' || statement.type === 'delete_stmt') {
    const where = clauses.find((c) => c.type === 'where_clause');
    const before = clauses.filter((c) => ['update_clause', 'set_clause', 'from_clause', 'delete_clause'].includes(c.type)).at(-1);
    const rows = `${name}.rowid IN (SELECT ${rowid} FROM ${view(barrier ? 'dmlBarrier' : 'dml')} AS ${name}`;
    if (guard.viaView) wrap(where, before, `${rows} WHERE (`, '))', `${rows})`);
    else if (filter !== null) wrap(where, before, `${filter} AND (`, ')', filter);
  }
  const visible = guard.viaView ? `EXISTS (SELECT 1 FROM ${view('dml')} AS "_wce_row" WHERE "_wce_row".${rowid} = ${name}.rowid)` : filter;
  for (const clause of clauses.filter((c) => c.type === 'upsert_clause')) {
    const action = clause.action as AnyNode;
    if (action.type === 'upsert_action_update' && visible !== null) {
      wrap(action.where as AnyNode | undefined, action.set as AnyNode, `${visible} AND (`, ')', visible);
    }
  }
}

/**
 * SQLite names an unaliased result column after its text. A rewritten subquery in a select
 * list would show our view's name in the column name (and change the name the client sees),
 * so such columns get the alias they would have had: their original text.
 */
function keepColumnNames(sql: string, statement: AnyNode, edits: Edit[]): void {
  const changed = edits.filter((e) => e.end > e.start);
  for (const node of descendants(statement)) {
    if (node.type !== 'select_clause' && node.type !== 'returning_clause') continue;
    for (const item of ((node.columns as AnyNode | undefined)?.items ?? []) as AnyNode[]) {
      if (!item.range || item.type === 'alias') continue;
      const [start, end] = item.range;
      if (changed.some((e) => e.start >= start && e.end <= end)) edits.push({ start: end, end, text: ` AS ${quoteIdent(sql.slice(start, end))}` });
    }
  }
}

/**
 * Applies edits to `sql`, last first so earlier offsets stay valid. Edits never overlap, but
 * an insertion may sit where a replacement starts or ends: at equal starts the replacement
 * goes first, so the insertion lands in front of its text.
 */
function applyEdits(sql: string, edits: Edit[]): string {
  let out = sql;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || (b.end - b.start) - (a.end - a.start))) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/**
 * Rewrites the reads of `statement` (a node of `parseSql(sql)`) to go through the policy views
 * of `role`, and keeps UPDATE/DELETE/upsert on a protected table off its hidden rows with
 * `guards` (see guardDmlRows). Returns `sql` itself when there is nothing to do.
 */
export function rewriteStatement(
  sql: string, statement: AnyNode, role: FilteredRole, protectedTables: ReadonlySet<string>, guards: ReadonlyMap<string, DmlGuard> = new Map(),
): string {
  // The body of a view or trigger is stored and run later, as whoever uses it: it must name
  // the tables themselves (a main-schema object cannot refer to temp). Only owner/admin run
  // this DDL, and users reading a protected table through such an object are refused.
  if (protectedTables.size === 0 || STORED_BODIES.has(statement.type)) return sql;
  // Plain views unless a filter could be evaluated on hidden rows to ill effect (barrier.ts).
  const barrier = needsBarrier(statement);
  const rewriter = new Rewriter(protectedTables, barrier, role);
  rewriter.walk(statement, new Set());
  keepColumnNames(sql, statement, rewriter.edits);
  guardDmlRows(statement, guards, role, barrier, rewriter.edits);
  return rewriter.edits.length === 0 ? sql : applyEdits(sql, rewriter.edits);
}

/** Parses and rewrites one statement; see rewriteStatement. */
export function rewriteReads(sql: string, role: FilteredRole, protectedTables: ReadonlySet<string>, guards?: ReadonlyMap<string, DmlGuard>): string {
  return rewriteStatement(sql, singleStatement(parseSql(sql)), role, protectedTables, guards);
}
