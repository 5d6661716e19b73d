/**
 * What src/db needs from access control on a tenant connection: exactly the public surface of
 * src/access's AccessGuard. src/db depends on this shape rather than on the class.
 */
import type { StatementSync } from 'node:sqlite';
import type { Principal } from '../auth/principal.ts';

/** A statement checked and prepared for one principal, with what the authorizer saw it write. */
export interface GatedStatement {
  stmt: StatementSync;
  /** The text that runs: the tenant's statement after the row-policy rewrite. */
  sql: string;
  /** Main tables the statement (or a trigger it fires) may write, with the operations. */
  writes: Array<{ table: string; operations: Array<'insert' | 'update' | 'delete'> }>;
  /** Main tables (and views) it reads, as the authorizer saw them. */
  reads: readonly string[];
  /** True for CREATE/DROP/ALTER and other schema changes. */
  ddl: boolean;
}

export interface Gate {
  /** Checks, rewrites and prepares one statement for `principal` (cached by the gate). */
  prepare(sql: string, principal: Principal): GatedStatement;
  /** Runs `fn` with tenant statements authorised as `principal` (prepare AND step inside). */
  runAs<T>(principal: Principal, fn: () => T): T;
  /** Runs WCE's own SQL (transaction control, audit, config) past the tenant rules. */
  trusted<T>(fn: () => T): T;
  /** The client error for a failure the gate caused at run time (a row policy CHECK), or null. */
  explain(error: unknown): Error | null;
}
