/**
 * Assembles the Fastify application: logging with request ids, cookies, security headers,
 * the error shape, health checks, cenv creation and the `/{cenv}/…` routes.
 *
 * @example
 *   const app = await buildApp(deps, createLogger(config.logLevel));
 *   await app.listen({ port: deps.config.port, host: deps.config.host });
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from './types.ts';
import { installErrorHandlers, frameworkErrorHandler } from './error-handler.ts';
import { cenvScope } from './cenv-scope.ts';
import { installJsonParser } from './json-body.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { healthRoutes } from './routes/health.ts';
import { createCenvRoutes } from './routes/create-cenv.ts';
import { loginRoutes } from './routes/login.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { adminPermissionRoutes } from './routes/admin-permissions.ts';
import { adminPolicyRoutes } from './routes/admin-policies.ts';
import { sqlRoutes } from './routes/sql.ts';

export async function buildApp(deps: AppDeps, logger: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    genReqId: () => randomUUID(),
    // One log line per request (onResponse below) instead of Fastify's two.
    disableRequestLogging: true,
    requestIdHeader: false,
    bodyLimit: deps.config.bodyLimitBytes,
    // Client addresses (audit log, login throttle) come from the socket unless told otherwise.
    trustProxy: deps.config.trustProxy,
    frameworkErrors: frameworkErrorHandler,
    // Wrong JSON types are a client error, not something to coerce silently.
    ajv: { customOptions: { coerceTypes: false, allErrors: false, removeAdditional: false } },
  });
  // JSON is the only body the API reads; anything else is a 415, not a schema error.
  app.removeContentTypeParser('text/plain');
  installJsonParser(app);
  app.decorate('deps', deps);
  app.decorateRequest('cenv', null as never);
  app.decorateRequest('principal', null as never);
  app.decorateRequest('viaCookie', false);
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    // Flat fields: pino's `req` serializer would replace the client address with the socket's.
    request.log.info({
      method: request.method, url: request.url, status: reply.statusCode, ip: request.ip,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }, 'request');
  });
  await app.register(cookie);
  installErrorHandlers(app);
  await app.register(healthRoutes);
  await app.register(createCenvRoutes);
  await app.register(cenvScope([loginRoutes, sessionRoutes, adminUserRoutes, adminPermissionRoutes, adminPolicyRoutes, sqlRoutes]), { prefix: '/:cenv' });
  return app;
}
