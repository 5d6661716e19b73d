/**
 * The audit retention sweep: now and then, in every open cenv, entries older than its
 * `audit_retention_days` (0: kept forever) are deleted, a batch per lease
 * (src/db/audit-retention.ts), so a large backlog never holds a connection for long.
 *
 * @example const stop = startAuditSweeper(deps, 3600_000, app.log);
 */
import { startCenvSweeper, sweepOpenCenvs, type SweeperLog } from '../cenv/sweeper.ts';
import { PURGE_BATCH, purgeAuditBatch, retentionCutoff } from '../db/audit-retention.ts';
import type { AppDeps } from './types.ts';

/** Deletes one cenv's expired entries; returns how many. */
export async function purgeCenvAudit(deps: Pick<AppDeps, 'pools' | 'settings'>, cenvId: string, now = Date.now()): Promise<number> {
  const days = (await deps.settings.get(cenvId)).audit_retention_days;
  if (days === 0) return 0;
  const cutoff = retentionCutoff(days, now);
  let total = 0;
  for (;;) {
    const deleted = await deps.pools.use(cenvId, (db) => purgeAuditBatch(db, cutoff));
    total += deleted;
    if (deleted < PURGE_BATCH) return total;
  }
}

/** One sweep over the open cenvs now (tests; the timer below calls the same). */
export function sweepAuditOnce(deps: Pick<AppDeps, 'pools' | 'settings'>, log: SweeperLog): Promise<void> {
  return sweepOpenCenvs(deps.pools, log, 'audit retention sweep', (cenvId) => purgeCenvAudit(deps, cenvId));
}

export function startAuditSweeper(deps: Pick<AppDeps, 'pools' | 'settings'>, intervalMs: number, log: SweeperLog): () => void {
  return startCenvSweeper(deps.pools, intervalMs, log, 'audit retention sweep', (cenvId) => purgeCenvAudit(deps, cenvId));
}
