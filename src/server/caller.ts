/**
 * Small views of `request.caller` that several routes need: the audit actor (and editor), whose
 * password hash this is (for fair queueing in the hasher), and publishing an admin change.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../access/admin-change.ts';
import type { HashFor } from '../auth/passwords.ts';
import type { Principal } from '../auth/principal.ts';
import type { CommitKind } from '../db/commit-bus.ts';
import type { Write } from '../db/tenant-db.ts';
import type { Editor } from '../endpoints/sources.ts';

/** The caller as the audit log records it. */
export function actorOf(request: FastifyRequest): Actor {
  const { principal, ip, userAgent } = request.caller;
  return { userId: principal.userId, username: principal.username, ip, userAgent };
}

/** The caller as an editor of endpoints and modules: the audit actor and their role. */
export function editorOf(request: FastifyRequest): Editor {
  return { ...actorOf(request), role: request.caller.principal.role };
}

/** A hash for this cenv, queued with the caller's address. */
export function hashFor(request: FastifyRequest): HashFor {
  return { group: request.caller.cenv.id, member: request.caller.ip };
}

/** Kinds of change after which the main process's session checks must be redone. */
const AUTH_KINDS: ReadonlySet<CommitKind> = new Set(['users', 'access', 'sessions', 'import']);

/**
 * Publishes a change the main process committed on the commit-event bus. `writes` names the
 * tables whose visibility changed (a grant or policy on `posts`), so listeners such as the
 * page cache can act on just those; none means "anything may have changed". A change to
 * users or sessions also drops the cenv's cached session checks first, synchronously, so a
 * revoked session is refused from the very next request (src/auth/session-cache.ts).
 * @example publishChange(request, 'access', [{ table: 'posts', action: 'policy', rows: null }])
 */
export function publishChange(
  request: FastifyRequest, kind: CommitKind, writes: Write[] = [], options: { principal?: Principal; roles?: string[] } = {},
): void {
  const { cenv } = request.caller;
  const { deps } = request.server;
  if (AUTH_KINDS.has(kind)) deps.sessions.invalidate(cenv.id);
  void deps.bus.publish({
    cenvId: cenv.id, principal: options.principal ?? request.caller.principal, kind, writes, ...(options.roles ? { roles: options.roles } : {}),
  });
}
