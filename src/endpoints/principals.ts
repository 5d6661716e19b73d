/**
 * Whom a script's database work runs as, besides the caller: the owner (for an endpoint saved
 * with `run_as: "owner"`, a deliberate definer-rights choice) and, for the editor's test
 * runs, a chosen user. Main process, on the admin API's connection.
 *
 * @example const principal = route.run_as === 'owner' ? ownerPrincipal(db) : caller;
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Principal } from '../auth/principal.ts';
import { findUserById, findUserByName } from '../auth/users.ts';
import { ForbiddenError, UnavailableError, ValidationError } from '../errors.ts';
import { prepared } from '../tools/statement-cache.ts';

/** The owner as a principal (no session: the work is done on the owner's authority, not in their session). */
export function ownerPrincipal(db: DatabaseSync): Principal {
  const row = prepared(db, "SELECT id, username FROM _wce_users WHERE role = 'owner' AND enabled = 1 ORDER BY created_at LIMIT 1")
    .get() as { id: string; username: string } | undefined;
  if (!row) throw new UnavailableError('this endpoint runs as the owner, and the cenv has no enabled owner');
  return { userId: row.id, username: row.username, role: 'owner', sessionId: null };
}

/**
 * The principal a test run impersonates: a user by id or username. An admin may not borrow
 * the owner's identity (that is the owner's alone, as with `run_as`).
 * @example testPrincipal(db, 'ursula', caller) // { role: 'user', … }
 */
export function testPrincipal(db: DatabaseSync, ref: string, caller: Principal): Principal {
  const user = findUserById(db, ref) ?? findUserByName(db, ref);
  if (!user) throw new ValidationError(`as_user: no user with the id or username "${ref.slice(0, 64)}"`);
  if (user.role === 'owner' && caller.role !== 'owner') throw new ForbiddenError('only the owner may test as the owner');
  return { userId: user.id, username: user.username, role: user.role, sessionId: null };
}
