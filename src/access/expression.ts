/**
 * Row-policy expressions (`using` and `check`), written by an owner/admin, e.g.
 * `author = $user_id OR published = 1`.
 *
 * `$user_id`, `$username` and `$role` become calls to the per-connection principal functions
 * (`wce_user_id()` …). The replacement is done on the parse tree, so a `'$user_id'` inside a
 * string literal stays text; the value itself is never spliced into SQL.
 *
 * An expression must be exactly one expression: it is parsed inside `SELECT (<expr>)` and the
 * tree must be that one SELECT with that one parenthesised column spanning the whole text, so
 * `1) FROM t; DROP TABLE x; SELECT (1` and comment tricks are refused. Names in the reserved
 * `_wce_` namespace and any other parameter are refused too.
 */
import { parseSql, descendants, errorPosition, type AnyNode } from './parse.ts';
import { RESERVED_NAMESPACE, reservedIdentifier } from './tokens.ts';
import { ValidationError } from '../errors.ts';

const PRINCIPAL_PARAMETERS: Readonly<Record<string, string>> = Object.freeze({
  $user_id: 'wce_user_id()',
  $username: 'wce_username()',
  $role: 'wce_role()',
});

const MAX_EXPRESSION_LENGTH = 4000;
const PREFIX = 'SELECT (';

/**
 * The principal parameters as SQL literals of one principal, for evaluating a policy as that
 * principal from another principal's statement (the policy debugger).
 * @example literalParameters({ userId: 'u1', username: "o'neil", role: 'user' }).$username // "'o''neil'"
 */
export function literalParameters(principal: { userId: string | null; username: string | null; role: string }): Record<string, string> {
  const quote = (value: string | null) => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);
  return { $user_id: quote(principal.userId), $username: quote(principal.username), $role: quote(principal.role) };
}

/**
 * Checks `expr` and returns it with the principal parameters replaced by function calls (or
 * by `parameters`, e.g. literalParameters(…)). Throws ValidationError naming what is wrong.
 * @example translateExpression('author = $user_id') // 'author = wce_user_id()'
 */
export function translateExpression(expr: string, parameters: Readonly<Record<string, string>> = PRINCIPAL_PARAMETERS): string {
  if (expr.trim() === '') throw new ValidationError('policy expression is empty');
  if (expr.length > MAX_EXPRESSION_LENGTH) throw new ValidationError(`policy expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const reserved = reservedIdentifier(expr);
  if (reserved) throw new ValidationError(`${RESERVED_NAMESPACE}: ${reserved.name}`);
  // A newline before the closing parenthesis keeps a trailing `-- comment` from eating it.
  const wrapped = `${PREFIX}${expr}\n)`;
  let root: AnyNode;
  try {
    root = parseSql(wrapped) as unknown as AnyNode;
  } catch (error) {
    const at = errorPosition(error);
    const where = at ? ` (line ${at.line}, column ${at.column} of "SELECT (<expr>)")` : '';
    throw new ValidationError(`policy expression is not valid SQL${where}`);
  }
  const column = soleColumn(root);
  if (!column || column.type !== 'paren_expr' || column.range?.[0] !== PREFIX.length - 1 || column.range?.[1] !== wrapped.length) {
    throw new ValidationError('policy expression must be one SQL expression');
  }
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const node of descendants(column)) {
    if (node.type !== 'parameter') continue;
    const replacement = Object.hasOwn(parameters, String(node.text)) ? parameters[String(node.text)] : undefined;
    if (!replacement) throw new ValidationError(`unknown parameter ${String(node.text)} in policy expression; use $user_id, $username or $role`);
    edits.push({ start: node.range![0], end: node.range![1], text: replacement });
  }
  let out = wrapped;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out.slice(PREFIX.length, -1); // keeps the newline: safe to wrap in ( )
}

/** The single result column of a tree that is exactly one bare SELECT, or null. */
function soleColumn(root: AnyNode): AnyNode | null {
  const statements = (root.statements as AnyNode[]).filter((s) => s.type !== 'empty');
  if (statements.length !== 1 || statements[0].type !== 'select_stmt') return null;
  const clauses = statements[0].clauses as AnyNode[];
  if (clauses.length !== 1 || clauses[0].type !== 'select_clause') return null;
  const select = clauses[0];
  if ((select.modifiers as unknown[]).length !== 0) return null;
  const items = (select.columns as AnyNode | undefined)?.items as AnyNode[] | undefined;
  return items && items.length === 1 ? items[0] : null;
}

/**
 * True when a (valid) policy expression contains a subquery.
 * @example hasSubquery('EXISTS (SELECT 1 FROM members WHERE user = $user_id)') // true
 */
export function hasSubquery(expr: string): boolean {
  const root = parseSql(`${PREFIX}${expr}\n)`) as unknown as AnyNode;
  let depth = 0;
  for (const node of descendants(root)) if (node.type === 'select_stmt' && ++depth > 1) return true;
  return false;
}
