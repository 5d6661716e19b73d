/**
 * "Run as another user": an owner or admin runs SQL with another user's principal to see
 * exactly what that user's grants and row policies let them see. Only owner and admin may,
 * and every use is written to the audit log under the caller's name before anything runs
 * (so a failing statement is recorded too); the statement's own audit rows name the user
 * it ran as.
 */
import type { DatabaseSync } from 'node:sqlite';
import { ANONYMOUS, isAdministrator, type Principal } from '../auth/principal.ts';
import { findUserById } from '../auth/users.ts';
import { audit } from '../db/audit.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Actor } from './admin-change.ts';

/**
 * The principal to run as: user `userId`, with no session (it never becomes a login), or
 * `anonymous` (a visitor without a session, as the policy debugger takes it too).
 * Throws 403 unless `actor` is owner or admin, 404 for an unknown user.
 * @example const principal = runAsPrincipal(db, caller.principal, bobId, actor, 'SELECT * FROM posts');
 */
export function runAsPrincipal(db: DatabaseSync, by: Principal, userId: string, actor: Actor, statement: string): Principal {
  if (!isAdministrator(by)) throw new ForbiddenError(`only owners and admins may run SQL as another user (you are ${by.role})`);
  const user = userId === 'anonymous' ? null : findUserById(db, userId);
  if (userId !== 'anonymous' && !user) throw new NotFoundError(`no user with id ${userId.slice(0, 64)} to run as; give a user id or "anonymous"`);
  const principal: Principal = user ? { userId: user.id, username: user.username, role: user.role, sessionId: null } : ANONYMOUS;
  audit(db, {
    action: 'sql_as_user', userId: actor.userId, username: actor.username, statement,
    detail: { as_user_id: principal.userId, as_username: principal.username, as_role: principal.role }, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null,
  });
  return principal;
}
