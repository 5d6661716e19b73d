/**
 * Who is making a request: the signed-in user of a cenv, or nobody (`anonymous`).
 * Access control (src/access) decides everything from this value alone.
 */
import type { Role } from './users.ts';

export interface Principal {
  userId: string | null;
  username: string | null;
  role: Role;
  /** The session behind the request; null for anonymous callers. */
  sessionId: string | null;
}

export const ANONYMOUS: Principal = Object.freeze({ userId: null, username: null, role: 'anonymous', sessionId: null });

/** Owner and admin hold every permission, bypass row policies and alone may run DDL. */
export function isAdministrator(principal: Principal): boolean {
  return principal.role === 'owner' || principal.role === 'admin';
}
