/**
 * Turns what SQLite (and node:sqlite's binding) throws while running tenant SQL into the
 * named errors of src/errors.ts, so a client mistake is never answered with a 5xx and a
 * resource limit says which limit and how to raise it.
 */
import {
  ConflictError, ForbiddenError, InsufficientStorageError, PayloadTooLargeError, UnavailableError, ValidationError,
} from '../errors.ts';

/** SQLite primary result codes that a client can cause. */
const SQLITE_ERROR = 1;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_NOMEM = 7;
const SQLITE_READONLY = 8;
const SQLITE_FULL = 13;
const SQLITE_TOOBIG = 18;
const SQLITE_CONSTRAINT = 19;
const SQLITE_MISMATCH = 20;
const SQLITE_RANGE = 25;
const SQLITE_AUTH = 23;

interface SqliteFailure extends Error { code?: string; errcode?: number; statusCode?: number }

/** The limits a message may name. */
export interface ErrorContext { maxDbBytes: number }

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

/** SQLITE_BUSY and its extended codes (BUSY_SNAPSHOT, …): another connection has the write lock. */
export function isBusy(error: unknown): boolean {
  const failure = error as SqliteFailure | null;
  return failure?.code === 'ERR_SQLITE_ERROR' && typeof failure.errcode === 'number' && (failure.errcode & 0xff) === SQLITE_BUSY;
}

/**
 * Maps one thrown value to a WCE error; errors that already carry an HTTP status (WCE's own,
 * the access guard's) pass through, and anything unknown is returned as it is (a 500).
 * @example throw toClientError(error, { maxDbBytes: limits.maxDbBytes })
 */
export function toClientError(error: unknown, context: ErrorContext): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  if (error instanceof RangeError && /Invalid string length/.test(error.message)) {
    return new PayloadTooLargeError('the result is too large to send as JSON; select fewer rows or smaller values');
  }
  const failure = error as SqliteFailure;
  if (typeof failure.statusCode === 'number') return failure;
  if (failure.code === 'ERR_INVALID_STATE' || failure.code === 'ERR_INVALID_ARG_TYPE' || failure.code === 'ERR_INVALID_ARG_VALUE') {
    // node:sqlite's binding checks: unknown named parameter, wrong value type.
    return new ValidationError(failure.message);
  }
  if (failure.code !== 'ERR_SQLITE_ERROR' || typeof failure.errcode !== 'number') return failure;
  const message = failure.message;
  switch (failure.errcode & 0xff) {
    case SQLITE_FULL:
      return new InsufficientStorageError(
        `database is full (limit ${megabytes(context.maxDbBytes)}); delete data or raise max_db_bytes`);
    case SQLITE_NOMEM:
      return new UnavailableError('the statement ran out of memory (the sandbox memory limit); ' +
        'select less data at once or simplify the query');
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new UnavailableError(`the database is busy (${message}); retry the request`);
    case SQLITE_CONSTRAINT:
      return /UNIQUE|PRIMARY KEY/.test(message) ? new ConflictError(message) : new ValidationError(message);
    case SQLITE_AUTH:
    case SQLITE_READONLY:
      return new ForbiddenError(message);
    case SQLITE_ERROR:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return new ValidationError(message);
    default:
      return failure;
  }
}
