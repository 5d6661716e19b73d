/**
 * A template's named queries as the admin API takes them and as they are stored. A query is
 * SQL text (`"SELECT …"`) or an object `{sql, first?, required?}`; stored, it is always the
 * object. `first` hands the template the first row (or nil) instead of the list; `required`
 * makes the page a 404 when the query finds no row (`posts/:id` for an id that does not
 * exist). Names become template variables, so they must be identifiers and may not hide the
 * variables every page gets (`page`, `site`, `params`).
 */
import { MAX_SQL_LENGTH } from '../db/connection.ts';
import { ValidationError } from '../errors.ts';
import type { PageQuery } from '../sandbox/protocol.ts';

export type { PageQuery };

export const MAX_QUERIES = 16;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Variables every render defines (render-op.ts builds them). */
export const RESERVED_NAMES: readonly string[] = ['page', 'site', 'params', 'empty', 'blank', 'nil', 'null', 'true', 'false'];

/** What the API accepts for one query. */
export type QueryInput = string | { sql: string; first?: boolean; required?: boolean };

/**
 * Checks names and shapes and returns the stored form; throws ValidationError naming the query.
 * @example normalizeQueries({ posts: 'SELECT * FROM posts' }) // { posts: { sql: '…', first: false, required: false } }
 */
export function normalizeQueries(input: Record<string, QueryInput> | undefined): Record<string, PageQuery> {
  const out: Record<string, PageQuery> = {};
  if (input === undefined) return out;
  const entries = Object.entries(input);
  if (entries.length > MAX_QUERIES) throw new ValidationError(`a template may have at most ${MAX_QUERIES} queries`);
  for (const [name, spec] of entries) {
    if (!NAME.test(name)) throw new ValidationError(`query name "${name.slice(0, 64)}" must start with a letter and hold only letters, digits and _`);
    if (RESERVED_NAMES.includes(name.toLowerCase())) throw new ValidationError(`query name "${name}" is taken by a variable every page has; choose another`);
    const query = typeof spec === 'string' ? { sql: spec } : spec;
    if (typeof query?.sql !== 'string' || query.sql.trim() === '') throw new ValidationError(`query "${name}" needs its SQL text`);
    if (query.sql.length > MAX_SQL_LENGTH) throw new ValidationError(`query "${name}" is longer than ${MAX_SQL_LENGTH} characters`);
    out[name] = { sql: query.sql, first: query.first === true, required: query.required === true };
  }
  return out;
}

/** Reads the stored JSON back (written by this module, so a parse failure is a fault). */
export function storedQueries(json: string): Record<string, PageQuery> {
  return JSON.parse(json) as Record<string, PageQuery>;
}
