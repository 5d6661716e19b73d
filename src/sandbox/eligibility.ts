/**
 * Whether a waiting job may take an idle child now: the rule that keeps one tenant from
 * holding the whole sandbox and one cenv's writers from fighting over SQLite's lock.
 *
 * - its cenv is not being drained;
 * - its cenv does not already hold as many children as there are regular ones, nor as many as
 *   its `connections_per_cenv` — so when one tenant's long jobs hold them all, another
 *   tenant's job starts a burst child instead of waiting;
 * - a job that may write has no write of its cenv running in another child: a second writer
 *   would only sleep on SQLite's lock (the busy handler sleeps whole milliseconds; measured,
 *   create ran at a quarter of its throughput).
 *
 * Jobs pipelined behind their cenv's own running job hold no further child and are not
 * decided here.
 */
import type { Drains } from './drain.ts';
import type { Child, Pending } from './options.ts';

export function mayStart(job: Pending, children: Iterable<Child>, drains: Drains, regularChildren: number): boolean {
  if (drains.isDraining(job.cenvId)) return false;
  let held = 0;
  for (const child of children) {
    if (!child.inflight.some((p) => p.cenvId === job.cenvId)) continue;
    held++;
    if (job.job.writes && child.inflight.some((p) => p.cenvId === job.cenvId && p.job.writes)) return false;
  }
  return held < Math.min(regularChildren, job.job.caps.connections ?? Infinity);
}
