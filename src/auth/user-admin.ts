/**
 * Managing the users of a cenv through the admin API: list, create, change role, enable or
 * disable, set a password.
 *
 * Rules: nobody can demote or disable the last enabled owner; only an owner changes an owner
 * or makes someone owner (admins have everything but ownership); a role change, disabling
 * or a new password revokes every session of that user at once. Each change is audited and
 * bumps the access version in the same transaction (src/access/admin-change.ts).
 */
import type { DatabaseSync } from 'node:sqlite';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { adminChange, type Actor } from '../access/admin-change.ts';
import { nowIso } from '../tools/time.ts';
import type { Principal } from './principal.ts';
import { revokeAllSessions } from './sessions.ts';
import { findUserById, findUserByName, insertUser, publicUser, usernameProblem, type StoredRole, type User } from './users.ts';

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
 * Creates a user. Only an owner may create another owner.
 * @example createUser(db, request.principal, { username: 'bob', passwordHash, role: 'user' }, { ip })
 */
export function createUser(
  db: DatabaseSync, by: Principal, input: { username: string; passwordHash: string; role: StoredRole },
  client: { ip?: string | null; userAgent?: string | null } = {},
): User {
  const problem = usernameProblem(input.username);
  if (problem) throw new ValidationError(problem);
  if (input.role === 'owner' && by.role !== 'owner') throw new ForbiddenError('only an owner can create another owner');
  return adminChange(db, actorOf(by, client), () => {
    if (findUserByName(db, input.username)) throw new ConflictError('that username is taken');
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
    const touchesOwner = user.role === 'owner' || change.role === 'owner';
    if (touchesOwner && by.role !== 'owner') throw new ForbiddenError('only an owner can change an owner or make someone owner');
    const losesOwnership = user.role === 'owner' && user.enabled && ((change.role !== undefined && change.role !== 'owner') || change.enabled === false);
    if (losesOwnership && enabledOwners(db) <= 1) throw new ConflictError('the last owner cannot be demoted or disabled');
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
