/**
 * Assembles the Fastify application: request ids and logging, request metrics, cookies,
 * security headers by route kind, the error shape (also for errors of Node's HTTP parser),
 * time limits on slow clients, rate limits, health checks, /metrics, cenv creation, the OpenAPI
 * document and its reference UI, the web UI (landing page, /static/ assets, pages) and the
 * `/{cenv}/…` routes.
 *
 * @example
 *   const app = await buildApp(deps, createLogger(config.logLevel));
 *   await app.listen({ port: deps.config.port, host: deps.config.host });
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from './types.ts';
import { installErrorHandlers, frameworkErrorHandler } from './error-handler.ts';
import { clientErrorHandler } from './plugins/client-errors.ts';
import { installCookies } from './plugins/cookies.ts';
import { installSecurityHeaders } from './plugins/headers.ts';
import { installRequestLog } from './plugins/request-log.ts';
import { requestLogger } from './request-logger.ts';
import { accessLogger } from './logger.ts';
import { routeConfig } from './route-config.ts';
import { installRequestMetrics } from './plugins/metrics.ts';
import { cenvScope, type CenvRoutePlugin } from './plugins/cenv-scope.ts';
import { installJsonParser } from './json-body.ts';
import { healthRoutes } from './routes/health.ts';
import { createCenvRoutes } from './routes/create-cenv.ts';
import { loginRoutes } from './routes/login.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { adminPermissionRoutes } from './routes/admin-permissions.ts';
import { adminPolicyRoutes } from './routes/admin-policies.ts';
import { sqlRoutes } from './routes/sql.ts';
import { adminDebuggerRoutes } from './routes/admin-debugger.ts';
import { eventRoutes } from './routes/events.ts';
import { apiRoutes } from './routes/api.ts';
import { adminEndpointRoutes } from './routes/admin-endpoints.ts';
import { adminEndpointRunRoutes } from './routes/admin-endpoint-runs.ts';
import { adminModuleRoutes } from './routes/admin-modules.ts';
import { meRoutes } from './routes/me.ts';
import { schemaRoutes } from './routes/schema.ts';
import { adminOverviewRoutes } from './routes/admin-overview.ts';
import { adminUserSessionRoutes } from './routes/admin-user-sessions.ts';
import { installAcceptConstraint } from './ui/accept-html.ts';
import { uiAssets } from './ui/assets.ts';
import { landingRoutes } from './ui/landing.ts';
import { uiPageRoutes } from './ui/pages.ts';
import { adminTemplateRoutes } from './routes/admin-templates.ts';
import { adminPageRoutes } from './routes/admin-pages.ts';
import { pageRoutes } from './routes/pages.ts';
import { adminConfigRoutes } from './routes/admin-config.ts';
import { adminAuditRoutes } from './routes/admin-audit.ts';
import { adminExportRoutes } from './routes/admin-export.ts';
import { adminImportRoutes } from './routes/admin-import.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { openApiRoute, registerOpenApi } from './openapi/document.ts';
import { responseSerializer } from './openapi/response-check.ts';
import { docsRoutes } from './ui/docs.ts';

export interface BuildOptions {
  /** More route plugins under `/{cenv}` (tests use it to exercise the cenv scope itself). */
  cenvRoutes?: CenvRoutePlugin[];
  /** Check every JSON reply against its route's response schema (tests; openapi/response-check.ts). */
  checkResponses?: boolean;
  /** Called for every route as it is added (the OpenAPI completeness test lists them). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(deps: AppDeps, logger: FastifyBaseLogger, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: logger,
    genReqId: () => randomUUID(),
    // One log line per request (plugins/request-log.ts) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLogger,
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // A client that sends slowly (or stops) holds a connection; these bound how long.
    requestTimeout: config.requestTimeoutMs,
    // An idle socket (a client that stopped reading a reply, too) is closed a little after the
    // request limit, so the limits above answer 408 first when they apply.
    connectionTimeout: config.requestTimeoutMs + 2000,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs),
      // Node checks the two limits above this often; its default (30 s) would let them slip.
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
    },
    // Client addresses (audit log, throttles) come from the socket unless told otherwise.
    trustProxy: config.trustProxy,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // Wrong JSON types are a client error, not something to coerce silently.
    ajv: { customOptions: { coerceTypes: false, allErrors: false, removeAdditional: false } },
  });
  // JSON is the only body the API reads; anything else is a 415, not a schema error.
  app.removeContentTypeParser('text/plain');
  installJsonParser(app);
  // Response schemas document; they never filter what is sent (openapi/response-check.ts).
  app.setSerializerCompiler(responseSerializer(options.checkResponses === true));
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.decorate('deps', deps);
  app.decorateRequest('caller', null as never);
  app.decorateRequest('routeConfig', null);
  installSecurityHeaders(app);
  installRequestLog(app, accessLogger(logger));
  installRequestMetrics(app);
  installCookies(app);
  installErrorHandlers(app);
  installAcceptConstraint(app);
  await registerOpenApi(app);
  await deps.cluster?.install(app);
  // Routes outside every cenv count per address; cenv routes are counted by the cenv scope.
  const serverIpLimit = config.settings.rate_limit_ip_per_min.value as number;
  if (serverIpLimit > 0) {
    app.addHook('onRequest', async (request, reply) => {
      if (routeConfig(request).access === undefined) await deps.rateLimits.serverRequest(request, reply, serverIpLimit);
    });
  }
  // Event streams never end by themselves, and close() waits for every request: end them first,
  // or a shutdown (SIGTERM, a cluster handoff) would wait forever. Clients resume elsewhere.
  app.addHook('preClose', (done) => {
    deps.events.registry.closeAll('the server is shutting down');
    done();
  });
  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(openApiRoute);
  await app.register(docsRoutes);
  await app.register(createCenvRoutes);
  await app.register(landingRoutes);
  await app.register(uiAssets);
  const cenvRoutes = [
    loginRoutes, sessionRoutes, meRoutes, schemaRoutes, sqlRoutes, eventRoutes, apiRoutes,
    adminOverviewRoutes, adminUserRoutes, adminUserSessionRoutes, adminPermissionRoutes, adminPolicyRoutes, adminDebuggerRoutes,
    adminEndpointRoutes, adminEndpointRunRoutes, adminModuleRoutes,
    adminTemplateRoutes, adminPageRoutes, pageRoutes,
    adminConfigRoutes, adminAuditRoutes, adminExportRoutes, adminImportRoutes,
    uiPageRoutes,
  ];
  await app.register(cenvScope([...cenvRoutes, ...(options.cenvRoutes ?? [])]), { prefix: '/:cenv' });
  return app;
}
