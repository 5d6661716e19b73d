/**
 * The gate every tenant connection in a sandbox child gets.
 * TEMPORARY until src/access/guard.ts lands: owners and admins only, everyone else 403
 * (fail closed). Replace the body with `(db) => adapt(new AccessGuard(db))`.
 */
import type { DatabaseSync } from 'node:sqlite';
import { isAdministrator } from '../auth/principal.ts';
import { ForbiddenError } from '../errors.ts';
import type { Gate } from '../db/gate.ts';

/** @example new TenantConnection(file, limits, makeGate) */
export function makeGate(db: DatabaseSync): Gate {
  return {
    prepare(sql, principal) {
      if (!isAdministrator(principal)) throw new ForbiddenError(`permission denied: ${principal.role} may not run SQL yet`);
      return db.prepare(sql);
    },
    runAs: (_principal, fn) => fn(),
    asSystem: (fn) => fn(),
    errorFrom: () => null,
  };
}
