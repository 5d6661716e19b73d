/**
 * One log line per request, after the answer, with flat fields (pino's `req` serializer would
 * replace the client address with the socket's, which is wrong behind a trusted proxy).
 * Credentials never appear: no headers are logged, and the URL of a WCE request carries none.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** `log` writes the lines: the server logger's unredacted twin (logger.ts `accessLogger`). */
export function installRequestLog(app: FastifyInstance, log: FastifyBaseLogger): void {
  // At a level that drops these lines (warn, error), the hook is not even installed.
  if (['fatal', 'error', 'warn', 'silent'].includes(app.log.level)) return;
  // Through the root logger's twin with the request id as the first field: the line a
  // request's child logger would write, without making one (request-logger.ts).
  app.addHook('onResponse', (request, reply, done) => {
    log.info({
      reqId: request.id, method: request.method, url: request.url, status: reply.statusCode, ip: request.ip,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }, 'request');
    done();
  });
}
