/**
 * Deletes expired and revoked sessions in the background. It visits the cenvs that are
 * open in the connection pools: a cenv nobody uses has nobody to serve its stale rows to,
 * and sweeping 10,000 closed files would cost more than the rows do. Login sweeps its own
 * cenv too (see routes/login.ts).
 */
import type { ConnectionPools } from '../cenv/pool.ts';
import { deleteExpiredSessions } from './sessions.ts';

export interface SweeperLog { warn(obj: object, msg: string): void }

/** Starts the sweep every `intervalMs`; returns a function that stops it. */
export function startSessionSweeper(pools: ConnectionPools, intervalMs: number, log: SweeperLog): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      for (const cenvId of pools.openCenvIds()) {
        try {
          await pools.use(cenvId, (db) => deleteExpiredSessions(db));
        } catch (error) {
          log.warn({ err: error, cenvId }, 'session sweep failed for a cenv');
        }
      }
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
