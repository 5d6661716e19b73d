/**
 * Counts every answered request for /metrics: by method, route *pattern* and status, with
 * its latency (src/metrics/metrics.ts keeps the series). The pattern is the route as
 * registered (`/:cenv/sql`), never the path: cenv ids and names stay out of the labels. Each
 * route gets its own hook with its pattern already known, so a request costs no lookup of
 * its route; requests no route matched (404s) are counted by one hook as `unmatched`.
 */
import type { FastifyInstance, onResponseHookHandler } from 'fastify';
import { addRouteHook } from '../route-hooks.ts';

/** Call before any route is registered: routes registered earlier are not counted. */
export function installRequestMetrics(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const record = app.deps.metrics.routeRecorder(route.url);
    const hook: onResponseHookHandler = (request, reply, done) => {
      record(request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    addRouteHook(route, 'onResponse', hook);
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) app.deps.metrics.request(request.method, '', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
