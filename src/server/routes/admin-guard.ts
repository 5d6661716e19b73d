/**
 * Shared pieces of the admin routes: the owner/admin check and the audit actor of a request.
 */
import type { FastifyRequest } from 'fastify';
import { isAdministrator } from '../../auth/principal.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../../access/admin-change.ts';
import { requireUser } from '../cenv-scope.ts';

/** 401 for anonymous callers, 403 for anyone but owner/admin. */
export function requireAdministrator(request: FastifyRequest): void {
  requireUser(request);
  if (!isAdministrator(request.principal)) throw new ForbiddenError(`permission denied: ${request.principal.role} may not use the admin API`);
}

/** The caller as the audit log records it. */
export function actorOf(request: FastifyRequest): Actor {
  const agent = request.headers['user-agent'];
  return { userId: request.principal.userId, username: request.principal.username, ip: request.ip, userAgent: typeof agent === 'string' ? agent : null };
}
