/** The externally visible origin of a request (scheme and host), for URLs in replies. */
import type { FastifyRequest } from 'fastify';

export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
