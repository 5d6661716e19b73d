/**
 * Deletes expired and revoked sessions in the background, in the cenvs that are open in the
 * connection pools (src/cenv/sweeper.ts says why only those). Login sweeps its own cenv too
 * (see routes/login.ts).
 */
import type { ConnectionPools } from '../cenv/pool.ts';
import { startCenvSweeper, type SweeperLog } from '../cenv/sweeper.ts';
import { deleteExpiredSessions } from './sessions.ts';

export type { SweeperLog };

/** Starts the sweep every `intervalMs`; returns a function that stops it. */
export function startSessionSweeper(pools: ConnectionPools, intervalMs: number, log: SweeperLog): () => void {
  return startCenvSweeper(pools, intervalMs, log, 'session sweep', (cenvId) => pools.use(cenvId, (db) => deleteExpiredSessions(db)));
}
