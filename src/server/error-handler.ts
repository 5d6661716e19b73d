/**
 * One error shape for every failure: `{"error": {"code", "message", "details"?}}`. Client
 * mistakes keep their 4xx status and a message that says what was wrong; anything else is
 * logged with its stack and answered with a bare 500 that points at the request id, never
 * the stack. Fastify's own client-error codes are renamed into WCE's vocabulary here.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DetailedError, ErrorBody } from '../errors.ts';
import { routeConfig } from './route-config.ts';

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'WCE_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'WCE_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'WCE_ERR_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'WCE_ERR_INVALID_JSON',
  FST_ERR_VALIDATION: 'WCE_ERR_VALIDATION',
  FST_ERR_BAD_URL: 'WCE_ERR_BAD_REQUEST',
  FST_ERR_ASYNC_CONSTRAINT: 'WCE_ERR_BAD_REQUEST',
};

function body(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

function clientMessage(error: FastifyError, request: FastifyRequest): string {
  if (error.validation) return `invalid request: ${error.message}`;
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    // Routes that take files say so (src/server/upload.ts).
    return routeConfig(request).bodyLimitSetting === 'max_import_bytes'
      ? 'unsupported Content-Type; send the file as application/vnd.sqlite3 or multipart/form-data'
      : 'unsupported Content-Type; send application/json';
  }
  return error.message;
}

/** Router-level errors (before any route runs) in the same shape. */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.status(414).send(body('WCE_ERR_URI_TOO_LONG', 'a path segment is too long'));
    return;
  }
  reply.status(400).send(body('WCE_ERR_BAD_REQUEST', error.code === 'FST_ERR_BAD_URL' ? 'the URL is malformed' : error.message));
}

/**
 * The status and body an error is answered with, logging it as it deserves (5xx with its
 * stack, never sent). The JSON API sends the body; the UI's pages (src/server/ui) show
 * its message on an HTML page.
 * @example const { status, body } = describeError(error, request);
 */
export function describeError(error: FastifyError & DetailedError, request: FastifyRequest): { status: number; body: ErrorBody } {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) {
    // A script's failure is the tenant's, recorded in the endpoint's own log (its message may
    // hold the app's data): the request line's 500 is all the server log needs.
    if (error.code === 'WCE_ERR_SCRIPT') { /* not a server fault */ }
    else if (status === 500 || error.code === undefined) request.log.error({ err: error }, 'request failed');
    else request.log.warn({ code: error.code, message: error.message }, 'request failed');
    if (status === 500 && error.code !== 'WCE_ERR_SCRIPT') {
      return { status: 500, body: body('WCE_ERR_INTERNAL', `internal error; quote request id ${request.id} when reporting it`) };
    }
    return { status, body: body(error.code ?? 'WCE_ERR_INTERNAL', error.message, error.details) };
  }
  const code = FASTIFY_CODES[error.code] ?? (error.code?.startsWith('WCE_ERR_') ? error.code : 'WCE_ERR_BAD_REQUEST');
  return { status, body: body(code, clientMessage(error, request), error.details) };
}

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & DetailedError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body: answer } = describeError(error, request);
    return reply.status(status).send(answer);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body('WCE_ERR_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0].slice(0, 200)}`));
  });
}
