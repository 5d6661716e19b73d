/**
 * What a policy would change before it is saved: for each user (and the anonymous visitor),
 * how many rows of the table they see now, how many they would see with the draft, and how
 * many they would gain or lose. Runs in a sandbox child as the caller (an owner or admin),
 * with each principal's values as literals in the policy expressions (policy-eval.ts); the
 * draft was validated in the main process first (policies.ts validatePolicyInput).
 */
import type { Principal } from '../auth/principal.ts';
import { ANONYMOUS } from '../auth/principal.ts';
import type { TenantConnection } from '../db/connection.ts';
import { TenantDb, type TenantDbOptions } from '../db/tenant-db.ts';
import { loadPolicies, type RowPolicy } from './model.ts';
import { visibility } from './policy-eval.ts';
import { quoteIdent } from './names.ts';

/** Users previewed at most (each costs a pass over the table). */
export const MAX_PREVIEW_USERS = 200;

export interface PolicyDraft extends Omit<RowPolicy, 'id'> { id?: number }

export interface PreviewLine {
  user: { id: string | null; username: string | null; role: string };
  before: number;
  after: number;
  gained: number;
  lost: number;
}

export interface PolicyPreview { table: string; principals: PreviewLine[]; truncated: boolean; note: string }

function count(value: unknown): number {
  return typeof value === 'number' ? value : Number((value as { $int?: string } | null)?.$int ?? 0);
}

/**
 * Compares the table's current policies with the draft (replacing the policy `draft.id`, or
 * added) for every principal whose role has row policies (users and anonymous).
 * @example previewPolicy(conn, owner, { table: 'posts', name: 'published', commands: ['select'], roles: ['anonymous'], using: 'published = 1', check: null, kind: 'permissive' }, options)
 */
export function previewPolicy(conn: TenantConnection, caller: Principal, draft: PolicyDraft, options: TenantDbOptions): PolicyPreview {
  const tdb = new TenantDb(conn, caller, {}, options);
  const { current, users } = conn.gate.trusted(() => ({
    current: loadPolicies(conn.db).filter((p) => p.table.toLowerCase() === draft.table.toLowerCase()),
    users: conn.db.prepare(`SELECT id, username, role FROM _wce_users WHERE enabled = 1 AND role = 'user' ORDER BY username LIMIT ${MAX_PREVIEW_USERS + 1}`).all() as Array<{ id: string; username: string; role: string }>,
  }));
  const proposed: RowPolicy[] = [...current.filter((p) => p.id !== draft.id), { ...draft, id: draft.id ?? -1 }];
  const principals: Principal[] = [ANONYMOUS, ...users.slice(0, MAX_PREVIEW_USERS).map((u) => ({ userId: u.id, username: u.username, role: 'user' as const, sessionId: null }))];
  const lines = principals.map((principal) => {
    // A table without any policy is not protected: a grant shows every row (access.md).
    const before = current.length === 0 ? '1' : visibility(current, 'select', principal);
    const after = visibility(proposed, 'select', principal);
    const { rows } = tdb.query(`SELECT coalesce(sum((${before})), 0), coalesce(sum((${after})), 0),
      coalesce(sum((${after}) AND NOT (${before})), 0), coalesce(sum((${before}) AND NOT (${after})), 0) FROM main.${quoteIdent(draft.table)}`);
    const [b, a, gained, lost] = rows[0].map(count);
    return { user: { id: principal.userId, username: principal.username, role: principal.role }, before: b, after: a, gained, lost };
  });
  return {
    table: draft.table, principals: lines, truncated: users.length > MAX_PREVIEW_USERS,
    note: 'owners and admins see every row whatever the policies; the counts are of the rows each principal may select',
  };
}
