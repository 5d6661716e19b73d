/**
 * The `db` module scripts see: `db.query`, `db.query_one`, `db.execute`, each with positional
 * `?` arguments or one dict of named ones, run through TenantDb as the invocation's principal
 * (grants and row policies apply) inside the invocation's one transaction.
 *
 * `db` works only while `handle(req)` runs: the compiled top level of a script is cached and
 * shared by every caller, so a query there would hand one caller's rows to the next. The
 * invocation is found on the thread (`thread.locals`), which only the endpoint runner sets.
 *
 * Values: None/bool/int/float/string/bytes in, and the same out (INTEGER → int, REAL → float,
 * BLOB → bytes). Errors of the database keep their WCE error as `cause` (DbError), so the
 * runner can tell a limit (504, 507…) from a mistake in the script.
 *
 * @example (Starlark) post = db.query_one("SELECT id, title FROM posts WHERE id = ?", int(req.params["id"]))
 */
import type { SQLInputValue, SQLOutputValue } from 'node:sqlite';
import type { TenantDb, StatementResult } from '../db/tenant-db.ts';
import type { BoundParams } from '../db/values.ts';
import {
  asString, Builtin, Bytes, Dict, dictEntries, dictSet, Float, List, Module, StarlarkError, typeName,
  type Thread, type Value,
} from '../starlark/index.ts';
import { Struct } from './struct.ts';

/** The thread-local key under which the runner puts the current invocation's database. */
export const INVOCATION_DB = 'wce.db';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_ARGS = 32766;

/** A database error raised inside a script; `cause` is the WCE error (status, code). */
export class DbError extends StarlarkError {
  readonly wce: Error & { statusCode?: number; code?: string };
  constructor(message: string, wce: Error & { statusCode?: number; code?: string }) {
    super(message);
    this.wce = wce;
  }
}

function tenantDb(thread: Thread, fn: string): TenantDb {
  const tdb = thread.locals.get(INVOCATION_DB) as TenantDb | undefined;
  if (!tdb) throw new StarlarkError(`${fn}: the database is available only while handle(req) runs, not at the top level of a script or module`);
  return tdb;
}

function sqlValue(fn: string, where: string, v: Value): SQLInputValue {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'bigint') {
    if (v < INT64_MIN || v > INT64_MAX) throw new StarlarkError(`${fn}: ${where}: ${v} does not fit SQLite's 64-bit integers`);
    return v;
  }
  if (v instanceof Float) return v.value;
  if (v instanceof Bytes) return v.data;
  throw new StarlarkError(`${fn}: ${where}: got ${typeName(v)}, want None, bool, int, float, string or bytes`);
}

/** `(sql, *args)` or `(sql, {named})` → the SQL text and bound values. */
function statement(fn: string, args: Value[], kwargs: unknown): { sql: string; bound: BoundParams } {
  if (kwargs !== null && (kwargs as unknown[]).length > 0) throw new StarlarkError(`${fn}: pass arguments by position (or one dict of named ones), not as keywords`);
  if (args.length === 0) throw new StarlarkError(`${fn}: missing argument for sql`);
  const sql = asString(fn, 'sql', args[0]);
  const rest = args.slice(1);
  if (rest.length > MAX_ARGS) throw new StarlarkError(`${fn}: at most ${MAX_ARGS} arguments`);
  if (rest.length === 1 && rest[0] instanceof Dict) {
    const named: Record<string, SQLInputValue> = Object.create(null);
    for (const [k, v] of dictEntries(rest[0])) {
      if (typeof k !== 'string') throw new StarlarkError(`${fn}: named arguments need string keys, got ${typeName(k)}`);
      named[k] = sqlValue(fn, `argument "${k}"`, v);
    }
    return { sql, bound: { named } };
  }
  return { sql, bound: { positional: rest.map((v, i) => sqlValue(fn, `argument ${i + 1}`, v)) } };
}

function starValue(cell: SQLOutputValue): Value {
  if (cell === null || typeof cell === 'string') return cell;
  if (typeof cell === 'bigint') return cell >= -9007199254740991n && cell <= 9007199254740991n ? Number(cell) : cell;
  if (typeof cell === 'number') return new Float(cell);
  return new Bytes(cell as Uint8Array);
}

function rowDict(thread: Thread, columns: readonly string[], row: unknown[]): Dict {
  const d = new Dict();
  for (let i = 0; i < columns.length; i++) dictSet(thread, d, columns[i], starValue(row[i] as SQLOutputValue));
  return d;
}

/** Runs one statement for a db builtin: steps charged per row, errors as DbError. */
function run(thread: Thread, fn: string, args: Value[], kwargs: unknown, maxRows?: number): StatementResult {
  const tdb = tenantDb(thread, fn);
  const { sql, bound } = statement(fn, args, kwargs);
  thread.step();
  let result: StatementResult;
  try {
    result = tdb.runBound(sql, bound, maxRows);
  } catch (error) {
    const wce = error as Error & { statusCode?: number; code?: string };
    throw new DbError(`${fn}: ${wce.message}`, wce);
  }
  thread.step(1 + result.rows.length);
  return result;
}

function rowid(value: StatementResult['last_insert_rowid']): Value {
  return typeof value === 'number' ? value : BigInt(value.$int);
}

export const dbModule = new Module('db', {
  query: new Builtin('db.query', (thread, args, kwargs) => {
    const result = run(thread, 'db.query', args, kwargs);
    if (result.truncated) {
      throw new StarlarkError(`db.query: the result has more than ${tenantDb(thread, 'db.query').settings.max_rows} rows (the cenv's max_rows) ` +
        'or 32 MB; add a LIMIT');
    }
    return new List(result.rows.map((row) => rowDict(thread, result.columns, row)));
  }),
  query_one: new Builtin('db.query_one', (thread, args, kwargs) => {
    const result = run(thread, 'db.query_one', args, kwargs, 1);
    return result.rows.length === 0 ? null : rowDict(thread, result.columns, result.rows[0]);
  }),
  execute: new Builtin('db.execute', (thread, args, kwargs) => {
    const result = run(thread, 'db.execute', args, kwargs, 0);
    return new Struct('execute_result', { changes: result.changes, last_insert_rowid: rowid(result.last_insert_rowid) });
  }),
});
