/**
 * The JSON form of SQL values, both ways. JSON has no 64-bit integers and no bytes, so two
 * tagged objects carry them losslessly (documented in docs/api.md):
 *
 *   {"$int": "9223372036854775807"}  an INTEGER outside ±(2^53 − 1)
 *   {"$blob": "AAEC"}                a BLOB, standard base64
 *   {"$real": "Infinity"}            ±Infinity, which JSON numbers cannot hold
 *
 * Parameters accept the same forms, plus plain JSON scalars: numbers (whole numbers bind as
 * INTEGER, others as REAL), strings, null and booleans (1/0).
 */
import type { SQLInputValue, SQLOutputValue } from 'node:sqlite';
import { ValidationError } from '../errors.ts';

/** A JSON value as it may appear in `params`. */
export type JsonParam = null | boolean | number | string | { $int: string } | { $blob: string };
export type Params = JsonParam[] | Record<string, JsonParam>;

/** What a statement is run with: positional values or named ones. */
export type BoundParams = { positional: SQLInputValue[] } | { named: Record<string, SQLInputValue> };

const INT = /^-?\d{1,19}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** More parameters than SQLite's SQLITE_MAX_VARIABLE_NUMBER could never bind. */
const MAX_PARAMS = 32766;
const NO_PARAMS: BoundParams = { positional: [] };

function decodeTagged(value: object, where: string): SQLInputValue {
  const keys = Object.keys(value);
  const tagged = value as Record<string, unknown>;
  if (keys.length === 1 && typeof tagged.$int === 'string') {
    const text = tagged.$int;
    if (INT.test(text)) {
      const big = BigInt(text);
      if (big >= INT64_MIN && big <= INT64_MAX) return big;
    }
    throw new ValidationError(`${where}: $int must be a decimal 64-bit integer, got "${text.slice(0, 40)}"`);
  }
  if (keys.length === 1 && typeof tagged.$blob === 'string') {
    if (tagged.$blob.length % 4 !== 0 || !BASE64.test(tagged.$blob)) {
      throw new ValidationError(`${where}: $blob must be standard base64`);
    }
    return Buffer.from(tagged.$blob, 'base64');
  }
  throw new ValidationError(`${where}: must be a number, string, boolean, null, {"$int": "…"} or {"$blob": "…"}`);
}

/** One JSON parameter to the value node:sqlite binds. */
function decodeValue(value: unknown, where: string): SQLInputValue {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new ValidationError(`${where}: numbers must be finite`);
      // node:sqlite binds every JS number as REAL; a whole number is meant as INTEGER.
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'boolean':
      return value ? 1n : 0n;
    case 'object':
      if (value === null) return null;
      if (!Array.isArray(value)) return decodeTagged(value, where);
  }
  throw new ValidationError(`${where}: must be a number, string, boolean, null, {"$int": "…"} or {"$blob": "…"}`);
}

/**
 * Validates `params` and turns it into what a statement is run with. Named keys may carry
 * their prefix (`":x"`) or not (`"x"`).
 * @example decodeParams([1, {"$int": "9007199254740993"}]) // { positional: [1n, 9007199254740993n] }
 */
export function decodeParams(params: unknown): BoundParams {
  if (params === undefined || params === null) return NO_PARAMS;
  if (Array.isArray(params)) {
    if (params.length > MAX_PARAMS) throw new ValidationError(`params: at most ${MAX_PARAMS} values`);
    return { positional: params.map((value, i) => decodeValue(value, `params[${i}]`)) };
  }
  if (typeof params !== 'object') throw new ValidationError('params must be an array or an object');
  // No prototype: a key named "__proto__" is just an (unknown) parameter name.
  const named: Record<string, SQLInputValue> = Object.create(null);
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMS) throw new ValidationError(`params: at most ${MAX_PARAMS} values`);
  for (const [key, value] of entries) named[key] = decodeValue(value, `params.${key}`);
  return { named };
}

/**
 * Rewrites, in place, the cells of one result row that JSON cannot hold as they are (unless
 * `rewrite` is false: then it only measures). Returns the row's approximate encoded size in
 * bytes, for the result size budget.
 * @example const row = [1n << 60n]; encodeRow(row); row[0] // { $int: '1152921504606846976' }
 */
export function encodeRow(row: SQLOutputValue[], rewrite = true): number {
  let bytes = 2;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    if (typeof cell === 'string') {
      bytes += cell.length + 3;
    } else if (!rewrite) {
      bytes += cell instanceof Uint8Array ? Math.ceil(cell.byteLength / 3) * 4 + 12 : 24;
    } else if (typeof cell === 'bigint') {
      // Read with readBigInts so no integer is ever rounded; most fit a JS number again.
      const small = cell >= -9007199254740991n && cell <= 9007199254740991n;
      (row as unknown[])[i] = small ? Number(cell) : { $int: cell.toString() };
      bytes += 22;
    } else if (typeof cell === 'number') {
      if (!Number.isFinite(cell)) (row as unknown[])[i] = { $real: cell > 0 ? 'Infinity' : '-Infinity' };
      bytes += 24;
    } else if (cell instanceof Uint8Array) {
      const text = Buffer.from(cell.buffer, cell.byteOffset, cell.byteLength).toString('base64');
      (row as unknown[])[i] = { $blob: text };
      bytes += text.length + 12;
    } else {
      bytes += 5;
    }
  }
  return bytes;
}
