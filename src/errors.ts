/**
 * Every error a client can see: a named code and an HTTP status, built with @fastify/error.
 * The message template takes `%s` arguments, so call sites say what exactly was wrong:
 *
 * @example throw new ValidationError('password must be at least 8 characters')
 *
 * The server's error handler turns these into `{"error": {"code", "message"}}`.
 */
import createError from '@fastify/error';

export const ValidationError = createError('WCE_ERR_VALIDATION', '%s', 400);
export const InvalidJsonError = createError('WCE_ERR_INVALID_JSON', 'request body is not valid JSON: %s', 400);
export const UnauthorizedError = createError('WCE_ERR_UNAUTHORIZED', '%s', 401);
export const ForbiddenError = createError('WCE_ERR_FORBIDDEN', '%s', 403);
export const CsrfError = createError('WCE_ERR_CSRF', '%s', 403);
export const NotFoundError = createError('WCE_ERR_NOT_FOUND', '%s', 404);
export const ConflictError = createError('WCE_ERR_CONFLICT', '%s', 409);
export const PayloadTooLargeError = createError('WCE_ERR_PAYLOAD_TOO_LARGE', '%s', 413);
export const InsufficientStorageError = createError('WCE_ERR_STORAGE_FULL', '%s', 507);
export const RateLimitedError = createError('WCE_ERR_RATE_LIMITED', '%s', 429);
export const UnavailableError = createError('WCE_ERR_UNAVAILABLE', '%s', 503);
export const TimeoutError = createError('WCE_ERR_TIMEOUT', '%s', 504);
export const InternalError = createError('WCE_ERR_INTERNAL', 'internal error; the request id in x-request-id finds it in the server log', 500);

/** The one error shape on the wire. */
export interface ErrorBody { error: { code: string; message: string } }
