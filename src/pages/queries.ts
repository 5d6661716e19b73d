/**
 * A template's named queries inside the sandbox child: which path parameters each one binds,
 * checking that against the template's path pattern, and running them as the page's
 * principal (anonymous for the cache) under grants and row policies.
 *
 * Path values are bound as parameters, never spliced into SQL: `posts/1 OR 1=1` binds the
 * text '1 OR 1=1' to :id, which simply matches no row. A query binds exactly the names it
 * uses (node:sqlite refuses unknown names), each the path's value for that name.
 */
import { errorPosition, parseSql } from '../access/parse.ts';
import { SqlSyntaxError, ValidationError, withDetails, type DetailedError } from '../errors.ts';
import type { TenantDb } from '../db/tenant-db.ts';
import type { PageQuery } from '../sandbox/protocol.ts';

/** A query ready to run: its parameters as written (`:id`, `@id`, `$id`). */
export interface CompiledQuery extends PageQuery { name: string; params: string[] }

/**
 * The parameter tokens of one statement, each once, in order of appearance.
 * @example parameterTokens('SELECT * FROM posts WHERE id = :id') // [':id']
 */
export function parameterTokens(sql: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const n = node as { type?: unknown; text?: unknown };
    if (n.type === 'parameter' && typeof n.text === 'string' && !found.includes(n.text)) found.push(n.text);
    for (const key of Object.keys(node)) if (key !== 'range') walk((node as Record<string, unknown>)[key]);
  };
  let program: unknown;
  try {
    program = parseSql(sql);
  } catch (error) {
    const position = errorPosition(error);
    const syntax = new SqlSyntaxError(`SQL syntax error: ${String((error as Error).message).split('\n')[0]}`);
    throw position ? withDetails(syntax, position) : syntax;
  }
  walk(program);
  return found;
}

/**
 * Checks that every parameter of `query` is one the path pattern binds; returns the query
 * with its parameters. Throws ValidationError naming the query and the parameter.
 * @example compileQuery('post', { sql: 'SELECT … WHERE id = :id', … }, ['id']).params // [':id']
 */
export function compileQuery(name: string, query: PageQuery, pathParams: readonly string[]): CompiledQuery {
  const params = parameterTokens(query.sql);
  for (const token of params) {
    const bare = token.slice(1);
    if (token === '?' || /^\?\d*$/.test(token)) {
      throw new ValidationError(`query "${name}": use named parameters from the page path (like :id), not ${token}`);
    }
    if (!pathParams.includes(bare)) {
      const bound = pathParams.length > 0 ? `binds only ${pathParams.map((p) => `:${p}`).join(', ')}` : 'binds no parameters';
      throw new ValidationError(`query "${name}" uses ${token}, but the page path ${bound}`);
    }
  }
  return { name, ...query, params };
}

/**
 * The error of query `name`, its message prefixed with the name and its details carrying it
 * (the editor marks that query). Errors without a status pass through as they are (faults).
 */
export function namedQueryError(error: unknown, name: string): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as DetailedError;
  if (!e.message.startsWith(`query "${name}"`)) e.message = `query "${name}": ${e.message}`;
  return typeof e.statusCode === 'number' ? withDetails(e, { ...e.details, query: name }) : e;
}

/** Converts one result cell from its JSON form to what a template sees (text for big ints and blobs). */
function cellValue(cell: unknown): unknown {
  if (cell === null || typeof cell !== 'object') return cell;
  const tagged = cell as { $int?: string; $blob?: string; $real?: string };
  return tagged.$int ?? tagged.$blob ?? tagged.$real ?? null;
}

/** One row as an object without a prototype (a column named `__proto__` is just a column). */
function rowObject(columns: readonly string[], cells: unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = Object.create(null);
  for (let i = 0; i < columns.length; i++) row[columns[i]] = cellValue(cells[i]);
  return row;
}

/**
 * Runs every query and returns the template variables they make, and whether a required
 * one found nothing. `readOnly` throws for a statement that would write (it runs first).
 * Errors carry the query's name in their message.
 * @example runQueries(tdb, [post], { id: '7' }, check) // { data: { post: {…} }, notFound: false }
 */
export function runQueries(
  tdb: TenantDb, queries: readonly CompiledQuery[], values: Readonly<Record<string, string>>, readOnly: (sql: string) => void,
): { data: Record<string, unknown>; notFound: boolean } {
  const data: Record<string, unknown> = Object.create(null);
  let notFound = false;
  for (const query of queries) {
    const bound: Record<string, string | null> = Object.create(null);
    for (const token of query.params) bound[token] = Object.hasOwn(values, token.slice(1)) ? values[token.slice(1)] : null;
    let result: { columns: readonly string[]; rows: unknown[][] };
    try {
      readOnly(query.sql);
      result = tdb.query(query.sql, bound);
    } catch (error) {
      throw namedQueryError(error, query.name);
    }
    const rows = result.rows.map((cells) => rowObject(result.columns, cells));
    if (query.required && rows.length === 0) notFound = true;
    data[query.name] = query.first ? (rows[0] ?? null) : rows;
  }
  return { data, notFound };
}
