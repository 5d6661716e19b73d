/**
 * Every error a client can see: a named code and an HTTP status, built with @fastify/error.
 * The message template takes `%s` arguments, so call sites say what exactly was wrong:
 *
 * @example throw new ValidationError('password must be at least 8 characters')
 * @example throw withDetails(new SqlSyntaxError('near "SELEC": syntax error'), { line: 1, column: 1 })
 *
 * Codes are by cause where clients branch on them (a syntax error to mark in the editor, a
 * row policy's CHECK versus a missing grant). The server's error handler turns these into
 * `{"error": {"code", "message", "details"?}}`; nothing else reaches a client.
 */
import createError from '@fastify/error';

export const ValidationError = createError('WCE_ERR_VALIDATION', '%s', 400);
export const BadRequestError = createError('WCE_ERR_BAD_REQUEST', '%s', 400);
export const InvalidJsonError = createError('WCE_ERR_INVALID_JSON', 'request body is not valid JSON: %s', 400);
/** Tenant SQL that does not parse; details carry `line` and `column` when known. */
export const SqlSyntaxError = createError('WCE_ERR_SQL_SYNTAX', '%s', 400);
/** A Starlark source that does not parse or resolve; details carry `line` and `column`. */
export const ScriptSyntaxError = createError('WCE_ERR_SCRIPT_SYNTAX', '%s', 400);
/** A template that does not parse; details carry `line`. */
export const TemplateSyntaxError = createError('WCE_ERR_TEMPLATE_SYNTAX', '%s', 400);
export const UnauthorizedError = createError('WCE_ERR_UNAUTHORIZED', '%s', 401);
/** No grant (or not the role) for what was asked. */
export const ForbiddenError = createError('WCE_ERR_FORBIDDEN', '%s', 403);
/** A row policy's CHECK refused the new row. */
export const PolicyViolationError = createError('WCE_ERR_POLICY', '%s', 403);
export const CsrfError = createError('WCE_ERR_CSRF', '%s', 403);
export const NotFoundError = createError('WCE_ERR_NOT_FOUND', '%s', 404);
export const MethodNotAllowedError = createError('WCE_ERR_METHOD_NOT_ALLOWED', '%s', 405);
export const ConflictError = createError('WCE_ERR_CONFLICT', '%s', 409);
/** A UNIQUE or PRIMARY KEY constraint refused a row. */
export const ConstraintError = createError('WCE_ERR_CONSTRAINT', '%s', 409);
export const PayloadTooLargeError = createError('WCE_ERR_PAYLOAD_TOO_LARGE', '%s', 413);
export const UriTooLongError = createError('WCE_ERR_URI_TOO_LONG', '%s', 414);
export const UnsupportedMediaTypeError = createError('WCE_ERR_UNSUPPORTED_MEDIA_TYPE', '%s', 415);
export const RateLimitedError = createError('WCE_ERR_RATE_LIMITED', '%s', 429);
export const HeadersTooLargeError = createError('WCE_ERR_HEADERS_TOO_LARGE', '%s', 431);
export const InternalError = createError('WCE_ERR_INTERNAL', '%s', 500);
/** A Starlark endpoint failed at run time (the details go to owner/admin callers only). */
export const ScriptError = createError('WCE_ERR_SCRIPT', '%s', 500);
export const UnavailableError = createError('WCE_ERR_UNAVAILABLE', '%s', 503);
export const NotReadyError = createError('WCE_ERR_NOT_READY', '%s', 503);
export const TimeoutError = createError('WCE_ERR_TIMEOUT', '%s', 504);
export const InsufficientStorageError = createError('WCE_ERR_STORAGE_FULL', '%s', 507);

/** The one error shape on the wire. */
export interface ErrorBody { error: { code: string; message: string; details?: Record<string, unknown> } }

/** An error that may carry structured details for the client (positions, limits). */
export type DetailedError = Error & { code?: string; statusCode?: number; details?: Record<string, unknown> };

/**
 * Attaches client-visible details to an error and returns it.
 * @example throw withDetails(new ScriptSyntaxError('undefined: x'), { line: 3, column: 7 })
 */
export function withDetails<E extends Error>(error: E, details: Record<string, unknown>): E & { details: Record<string, unknown> } {
  return Object.assign(error, { details });
}

type ErrorClass = new (message: string) => DetailedError;
const BY_CODE = new Map<string, ErrorClass>();
for (const value of [
  ValidationError, BadRequestError, InvalidJsonError, SqlSyntaxError, ScriptSyntaxError, TemplateSyntaxError,
  UnauthorizedError, ForbiddenError, PolicyViolationError, CsrfError, NotFoundError, MethodNotAllowedError,
  ConflictError, ConstraintError, PayloadTooLargeError, UriTooLongError, UnsupportedMediaTypeError, RateLimitedError,
  HeadersTooLargeError, InternalError, ScriptError, UnavailableError, NotReadyError, TimeoutError, InsufficientStorageError,
]) {
  // @fastify/error sets `code` per instance, so ask one instance for it.
  const Ctor = value as unknown as ErrorClass;
  BY_CODE.set(new Ctor('probe').code!, Ctor);
}

/** Every code a client can see (the OpenAPI document and the docs list them). */
export const ERROR_CODES: readonly string[] = [...BY_CODE.keys()];

/**
 * Rebuilds a named error from its code (an error that crossed a process boundary). An
 * unknown code keeps its status, so nothing turns into a 500 on the way.
 * @example errorForCode('WCE_ERR_FORBIDDEN', 403, 'permission denied')
 */
export function errorForCode(code: string, status: number, message: string, details?: Record<string, unknown>): DetailedError {
  const Known = BY_CODE.get(code);
  const error: DetailedError = Known ? new Known(message) : Object.assign(new Error(message), { code, statusCode: status });
  if (details) error.details = details;
  return error;
}
