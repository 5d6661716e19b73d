/**
 * Route-level access: each cenv route says who may call it (`config.access`), and this is
 * the one place that enforces it. 401 when a session is needed and there is none (log in),
 * 403 when there is one but its role is not enough (log in as someone else won't be asked).
 */
import type { Principal } from '../../auth/principal.ts';
import { ForbiddenError, UnauthorizedError } from '../../errors.ts';
import type { Access } from '../types.ts';

const RANK = { anonymous: 0, user: 1, admin: 2, owner: 3 } as const;
const NEEDS: Record<Exclude<Access, 'none' | 'anonymous'>, keyof typeof RANK> = { user: 'user', admin: 'admin', owner: 'owner' };

/**
 * Throws unless `principal` may call a route declared with `access`.
 * @example enforceAccess('admin', request.caller.principal) // 403 for role 'user'
 */
export function enforceAccess(access: Access, principal: Principal): void {
  if (access === 'none' || access === 'anonymous') return;
  if (principal.role === 'anonymous') throw new UnauthorizedError('log in first: this needs a session');
  const needed = NEEDS[access];
  if (RANK[principal.role] < RANK[needed]) {
    throw new ForbiddenError(access === 'owner'
      ? `permission denied: only the owner may do this (you are ${principal.role})`
      : `permission denied: this needs an owner or admin (you are ${principal.role})`);
  }
}

export const ACCESS_LEVELS: readonly Access[] = ['none', 'anonymous', 'user', 'admin', 'owner'];
