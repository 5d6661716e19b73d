/**
 * What src/db needs from access control on a tenant connection. src/access's AccessGuard has
 * this shape; src/db depends on the shape, not on the class, so it can be tested on its own.
 */
import type { StatementSync } from 'node:sqlite';
import type { Principal } from '../auth/principal.ts';

export interface Gate {
  /** Checks, rewrites and prepares one statement for `principal` (cached by the gate). */
  prepare(sql: string, principal: Principal): StatementSync;
  /** Runs `fn` with tenant statements authorised as `principal` (prepare AND step inside). */
  runAs<T>(principal: Principal, fn: () => T): T;
  /** Runs WCE's own SQL (transaction control, audit, config) past the tenant rules. */
  asSystem<T>(fn: () => T): T;
  /** The client error for a failure the gate caused at run time (a row policy CHECK), or null. */
  errorFrom(error: unknown): Error | null;
}
