/**
 * One log line per request, after the answer, with flat fields (pino's `req` serializer would
 * replace the client address with the socket's, which is wrong behind a trusted proxy).
 * Credentials never appear: no headers are logged, and the URL of a WCE request carries none.
 */
import type { FastifyInstance } from 'fastify';

export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      method: request.method, url: request.url, status: reply.statusCode, ip: request.ip,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }, 'request');
  });
}
