/**
 * `GET /metrics`: Prometheus text (src/metrics/metrics.ts), for the operator only
 * (operator-access.ts: bearer `WCE_METRICS_TOKEN`, else this machine without a proxy in
 * between). Not rate limited: a scraper polls on a timer.
 */
import type { FastifyInstance } from 'fastify';
import { requireOperator } from '../operator-access.ts';

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    requireOperator(request, app.deps.config.metricsToken, 'GET /metrics');
    // prom-client writes NaN as "Nan" (an empty event-loop histogram); strict parsers want "NaN".
    const text = (await app.deps.metrics.registry.metrics()).replace(/ Nan$/gm, ' NaN');
    return reply.type(app.deps.metrics.registry.contentType).send(text);
  });
}
