/**
 * Background work over the cenvs that are open in the connection pools, now and then: the
 * session sweep and the audit retention sweep. Only open cenvs are visited: a cenv nobody
 * uses gains no new rows and has nobody to serve stale ones to, and opening 10,000 idle files
 * every interval would cost more than their rows do. A cenv is swept soon after it opens,
 * then every interval while it stays open. A sweep does not start while the last one runs;
 * a failure for one cenv is logged and the others go on.
 *
 * @example const stop = startCenvSweeper(pools, 900_000, log, 'session sweep', (id) => pools.use(id, deleteExpiredSessions));
 */
import type { ConnectionPools } from './pool.ts';

export interface SweeperLog { warn(obj: object, msg: string): void }

/** Runs `task` for every open cenv once; resolves when all are done. */
export function sweepOpenCenvs(pools: ConnectionPools, log: SweeperLog, name: string, task: (cenvId: string) => Promise<unknown>): Promise<void> {
  return sweepCenvs([...pools.openCenvIds()], log, name, task);
}

async function sweepCenvs(ids: string[], log: SweeperLog, name: string, task: (cenvId: string) => Promise<unknown>): Promise<void> {
  for (const cenvId of ids) {
    try {
      await task(cenvId);
    } catch (error) {
      log.warn({ err: error, cenvId }, `${name} failed for a cenv`);
    }
  }
}

/**
 * Runs `task` for each open cenv about every `intervalMs`: the open cenvs are looked at more
 * often than that (every quarter interval, at most a minute apart), and each is swept when
 * it has not been for `intervalMs` — so a cenv that is open only for short stretches (the
 * pools close idle ones after 30 minutes) is still swept soon after it opens, instead of only
 * when an hourly timer happens to find it open. Returns a function that stops it.
 */
export function startCenvSweeper(pools: ConnectionPools, intervalMs: number, log: SweeperLog, name: string, task: (cenvId: string) => Promise<unknown>): () => void {
  const swept = new Map<string, number>();
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const open = new Set(pools.openCenvIds());
      // Forget closed cenvs: one that opens again is due at once.
      for (const id of swept.keys()) if (!open.has(id)) swept.delete(id);
      const now = Date.now();
      const due = [...open].filter((id) => now - (swept.get(id) ?? -Infinity) >= intervalMs);
      for (const id of due) swept.set(id, now);
      await sweepCenvs(due, log, name, task);
    } finally {
      running = false;
    }
  }, Math.max(10, Math.min(intervalMs / 4, 60_000)));
  timer.unref();
  return () => clearInterval(timer);
}
