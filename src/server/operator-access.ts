/**
 * Who may call the operator's endpoints (cluster status and drain; the same rule suits
 * /metrics). With `WCE_METRICS_TOKEN` set, a caller sends `Authorization: Bearer <token>`;
 * without it, only the machine itself may call: the client address *and* the socket must be
 * loopback and the request must carry no X-Forwarded-For or Forwarded header, so a proxy on
 * the same machine (whose connections are loopback) does not open the endpoint to everyone
 * behind it, whether or not WCE_TRUST_PROXY names it.
 *
 * @example requireOperator(request, app.deps.config.metricsToken, 'GET /cluster');
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));
}

/** Throws 401/403 unless the caller may use an operator endpoint named `what`. */
export function requireOperator(request: FastifyRequest, token: string | null, what: string): void {
  if (token !== null) {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    // Digests of equal length, compared in constant time: the token's length does not leak either.
    if (!timingSafeEqual(digest(given), digest(token))) throw new UnauthorizedError(`${what} needs Authorization: Bearer <WCE_METRICS_TOKEN>`);
    return;
  }
  // A request a proxy forwarded is not local, even from a proxy on this machine WCE was not told to trust.
  const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
  if (forwarded || !isLoopback(request.ip) || !isLoopback(request.socket.remoteAddress)) {
    throw new ForbiddenError(`${what} answers only this machine; set WCE_METRICS_TOKEN to call it from elsewhere`);
  }
}
