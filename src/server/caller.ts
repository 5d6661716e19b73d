/**
 * Small views of `request.caller` that several routes need: the audit actor, whose password
 * hash this is (for fair queueing in the hasher), and publishing an admin change.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../access/admin-change.ts';
import type { HashFor } from '../auth/passwords.ts';
import type { CommitKind } from '../db/commit-bus.ts';
import type { Write } from '../db/tenant-db.ts';

/** The caller as the audit log records it. */
export function actorOf(request: FastifyRequest): Actor {
  const { principal, ip, userAgent } = request.caller;
  return { userId: principal.userId, username: principal.username, ip, userAgent };
}

/** A hash for this cenv, queued with the caller's address. */
export function hashFor(request: FastifyRequest): HashFor {
  return { group: request.caller.cenv.id, member: request.caller.ip };
}

/**
 * Publishes an admin change on the commit-event bus, after it committed. `writes` names the
 * tables whose visibility changed (a grant or policy on `posts`), so listeners such as the
 * page cache can act on just those; none means "anything may have changed".
 * @example publishChange(request, 'access', [{ table: 'posts', action: 'policy', rows: null }])
 */
export function publishChange(request: FastifyRequest, kind: CommitKind, writes: Write[] = []): void {
  const { cenv, principal } = request.caller;
  void request.server.deps.bus.publish({ cenvId: cenv.id, principal, kind, writes });
}
