/**
 * Managing the users of a cenv through the admin API: list, create, change role, enable or
 * disable, set a password, and hand ownership over.
 *
 * Rules: a cenv has exactly one owner. `owner` is never assigned through create or update;
 * ownership moves only by `transferOwnership` (the owner, with their current password,
 * checked by the caller), which makes the old owner an admin. Only the owner changes the
 * owner's account; admins have everything but ownership. A role change, disabling or a new
 * password revokes every session of that user at once. Each change is audited and bumps the
 * access version in the same transaction (admin-change.ts).
 */
import type { DatabaseSync } from 'node:sqlite';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { adminChange, type Actor } from './admin-change.ts';
import { nowIso } from '../tools/time.ts';
import type { Principal } from '../auth/principal.ts';
import { revokeAllSessions, revokeSession } from '../auth/sessions.ts';
import { audit } from '../db/audit.ts';
import { transaction } from '../tools/transaction.ts';
import { findUserById, findUserByName, insertUser, publicUser, usernameProblem, type StoredRole, type User } from '../auth/users.ts';

export interface UserChange {
  role?: StoredRole;
  enabled?: boolean;
  /** Already hashed by the caller (bcrypt runs off the event loop, outside the transaction). */
  passwordHash?: string;
}

/** Every user of the cenv, without password hashes. */
export function listUsers(db: DatabaseSync): User[] {
  const rows = db.prepare('SELECT id FROM _wce_users ORDER BY created_at, id').all() as Array<{ id: string }>;
  return rows.map((row) => publicUser(findUserById(db, row.id)!));
}

function actorOf(principal: Principal, client: { ip?: string | null; userAgent?: string | null }): Actor {
  return { userId: principal.userId, username: principal.username, ...client };
}

/**
 * Creates a user (never an owner: see transferOwnership).
 * @example createUser(db, request.principal, { username: 'bob', passwordHash, role: 'user' }, { ip })
 */
export function createUser(
  db: DatabaseSync, by: Principal, input: { username: string; passwordHash: string; role: StoredRole },
  client: { ip?: string | null; userAgent?: string | null } = {},
): User {
  const problem = usernameProblem(input.username);
  if (problem) throw new ValidationError(problem);
  if (input.role === 'owner') throw new ValidationError('a cenv has one owner; create the user as admin and transfer ownership to them');
  return adminChange(db, actorOf(by, client), () => {
    if (findUserByName(db, input.username)) throw new ConflictError('that username is taken (names are compared ignoring case and look-alike forms)');
    const user = insertUser(db, input.username, input.passwordHash, input.role);
    return { result: user, audit: { action: 'user_created', detail: { id: user.id, username: user.username, role: user.role } } };
  });
}

function enabledOwners(db: DatabaseSync): number {
  return (db.prepare("SELECT count(*) AS n FROM _wce_users WHERE role = 'owner' AND enabled = 1").get() as { n: number }).n;
}

/**
 * Applies `change` to user `id` and returns the user as it is afterwards.
 * @example updateUser(db, request.principal, id, { enabled: false }) // revokes the user's sessions
 */
export function updateUser(
  db: DatabaseSync, by: Principal, id: string, change: UserChange,
  client: { ip?: string | null; userAgent?: string | null } = {},
): User {
  return adminChange(db, actorOf(by, client), () => {
    const user = findUserById(db, id);
    if (!user) throw new NotFoundError(`no user with id ${id}`);
    if (change.role === 'owner' && user.role !== 'owner') {
      throw new ValidationError('ownership is not assigned by role; the owner uses POST /admin/transfer-ownership');
    }
    if (user.role === 'owner' && by.role !== 'owner') throw new ForbiddenError("only the owner can change the owner's account");
    const losesOwnership = user.role === 'owner' && user.enabled && ((change.role !== undefined && change.role !== 'owner') || change.enabled === false);
    if (losesOwnership && enabledOwners(db) <= 1) {
      throw new ConflictError('the owner cannot be demoted or disabled; transfer ownership to someone else first');
    }
    const role = change.role ?? user.role;
    const enabled = change.enabled ?? user.enabled;
    db.prepare('UPDATE _wce_users SET role = ?, enabled = ?, password_hash = ?, updated_at = ? WHERE id = ?')
      .run(role, enabled ? 1 : 0, change.passwordHash ?? user.passwordHash, nowIso(), id);
    // A session carries the role it was opened with and keeps working while enabled: any of
    // these changes must end it now, not when it expires.
    const revoke = role !== user.role || enabled !== user.enabled || change.passwordHash !== undefined;
    const revoked = revoke ? revokeAllSessions(db, id) : 0;
    const detail = {
      id, ...(role !== user.role ? { role: { from: user.role, to: role } } : {}),
      ...(enabled !== user.enabled ? { enabled } : {}), ...(change.passwordHash !== undefined ? { password_changed: true } : {}),
      sessions_revoked: revoked,
    };
    return { result: publicUser(findUserById(db, id)!), audit: { action: 'user_updated', detail } };
  });
}

/**
 * Makes `toUserId` the owner and the current owner (`by`) an admin, in one audited change.
 * The caller has checked `by`'s current password. Both users' sessions end (their roles
 * changed), so each logs in again with the new role.
 * @example transferOwnership(db, request.caller.principal, bobId, actor)
 */
export function transferOwnership(db: DatabaseSync, by: Principal, toUserId: string, client: { ip?: string | null; userAgent?: string | null } = {}): User {
  if (by.role !== 'owner' || by.userId === null) throw new ForbiddenError('only the owner can transfer ownership');
  if (toUserId === by.userId) throw new ValidationError('you already own this cenv');
  return adminChange(db, actorOf(by, client), () => {
    const target = findUserById(db, toUserId);
    if (!target) throw new NotFoundError(`no user with id ${toUserId}`);
    if (!target.enabled) throw new ValidationError('enable that user before making them the owner');
    const now = nowIso();
    db.prepare("UPDATE _wce_users SET role = 'admin', updated_at = ? WHERE id = ?").run(now, by.userId);
    db.prepare("UPDATE _wce_users SET role = 'owner', updated_at = ? WHERE id = ?").run(now, toUserId);
    const revoked = revokeAllSessions(db, by.userId!) + revokeAllSessions(db, toUserId);
    return {
      result: publicUser(findUserById(db, toUserId)!),
      audit: { action: 'ownership_transferred', detail: { from: by.userId, to: toUserId, to_username: target.username, sessions_revoked: revoked } },
    };
  });
}

/**
 * Ends one session of user `userId` (`sessionId`) or all of them (null), audited under the
 * caller. Admins may not end the owner's sessions (only the owner changes the owner's
 * account). Returns how many were revoked; 404 for an unknown user or session.
 * @example revokeUserSessions(db, request.caller.principal, bobId, null, actor) // 2
 */
export function revokeUserSessions(
  db: DatabaseSync, by: Principal, userId: string, sessionId: string | null,
  client: { ip?: string | null; userAgent?: string | null } = {},
): number {
  return transaction(db, () => {
    const user = findUserById(db, userId);
    if (!user) throw new NotFoundError(`no user with id ${userId}`);
    if (user.role === 'owner' && by.role !== 'owner') throw new ForbiddenError("only the owner can end the owner's sessions");
    const revoked = sessionId === null ? revokeAllSessions(db, userId) : Number(revokeSession(db, userId, sessionId));
    if (sessionId !== null && revoked === 0) throw new NotFoundError('that user has no active session with that id');
    const actor = actorOf(by, client);
    audit(db, {
      action: 'sessions_revoked', userId: actor.userId, username: actor.username, rowCount: revoked,
      detail: { user_id: userId, username: user.username, ...(sessionId ? { session_id: sessionId } : {}) }, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null,
    });
    return revoked;
  });
}
