/**
 * Counts every answered request for /metrics: by method, route *pattern* and status, with
 * its latency (src/metrics/metrics.ts keeps the series). The pattern is the route as
 * registered (`/:cenv/sql`), never the path: cenv ids and names stay out of the labels.
 */
import type { FastifyInstance } from 'fastify';

export function installRequestMetrics(app: FastifyInstance): void {
  // A callback hook: on every request, a promise for nothing is a cost worth not paying.
  app.addHook('onResponse', (request, reply, done) => {
    app.deps.metrics.request(request.method, request.routeOptions.url ?? '', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
