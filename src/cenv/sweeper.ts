/**
 * Background work over the cenvs that are open in the connection pools, now and then: the
 * session sweep and the audit retention sweep. Only open cenvs are visited: a cenv nobody
 * uses gains no new rows and has nobody to serve stale ones to, and opening 10,000 idle files
 * every interval would cost more than their rows do. A sweep does not start while the last
 * one runs; a failure for one cenv is logged and the others go on.
 *
 * @example const stop = startCenvSweeper(pools, 900_000, log, 'session sweep', (id) => pools.use(id, deleteExpiredSessions));
 */
import type { ConnectionPools } from './pool.ts';

export interface SweeperLog { warn(obj: object, msg: string): void }

/** Runs `task` for every open cenv once; resolves when all are done. */
export async function sweepOpenCenvs(pools: ConnectionPools, log: SweeperLog, name: string, task: (cenvId: string) => Promise<unknown>): Promise<void> {
  for (const cenvId of pools.openCenvIds()) {
    try {
      await task(cenvId);
    } catch (error) {
      log.warn({ err: error, cenvId }, `${name} failed for a cenv`);
    }
  }
}

/** Starts `task` over the open cenvs every `intervalMs`; returns a function that stops it. */
export function startCenvSweeper(pools: ConnectionPools, intervalMs: number, log: SweeperLog, name: string, task: (cenvId: string) => Promise<unknown>): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await sweepOpenCenvs(pools, log, name, task);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
