/**
 * `GET /metrics`: Prometheus text (src/metrics/metrics.ts). With `WCE_METRICS_TOKEN` set, a
 * scraper sends `Authorization: Bearer <token>`; without it, only the machine itself may
 * scrape: the client address and the socket both loopback, and no X-Forwarded-For or
 * Forwarded header (so a proxy on the same machine does not open it to the world, trusted or
 * not). Not rate limited: a scraper polls on a timer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../../errors.ts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));
}

function allow(request: FastifyRequest, token: string | null): void {
  if (token !== null) {
    const header = request.headers.authorization ?? '';
    const given = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
    // Digests of equal length, compared in constant time: the token's length does not leak either.
    if (!timingSafeEqual(digest(given), digest(token))) throw new UnauthorizedError('GET /metrics needs Authorization: Bearer <WCE_METRICS_TOKEN>');
    return;
  }
  // A request a proxy forwarded is not local, even from a proxy on this machine that WCE was not told to trust.
  const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
  if (forwarded || !isLoopback(request.ip) || !isLoopback(request.socket.remoteAddress)) {
    throw new ForbiddenError('GET /metrics answers only this machine; set WCE_METRICS_TOKEN to scrape from elsewhere');
  }
}

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    allow(request, app.deps.config.metricsToken);
    // prom-client writes NaN as "Nan" (an empty event-loop histogram); strict parsers want "NaN".
    const text = (await app.deps.metrics.registry.metrics()).replace(/ Nan$/gm, ' NaN');
    return reply.type(app.deps.metrics.registry.contentType).send(text);
  });
}
