/**
 * The externally visible origin for URLs in replies: `WCE_PUBLIC_URL` when set, else the
 * request's scheme and Host. (Behind a proxy without WCE_PUBLIC_URL, a client chooses the
 * Host header, so a URL built from it is only as trustworthy as the client.)
 */
import type { FastifyRequest } from 'fastify';

export function baseUrl(request: FastifyRequest): string {
  return request.server.deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
}
