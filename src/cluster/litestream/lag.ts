/**
 * Replication lag per cenv, from what the node knows for sure: when it committed (the
 * commit-event bus) and when Litestream finished writing a WAL segment to the replica (its
 * log). Litestream copies the WAL into its shadow copy once per monitor interval (1 s) and
 * ships what it has; so a segment that *started* at s holds every commit made before
 * s − 1 s. Lag is the age of the oldest commit not yet known to be replicated (0 when all
 * are), conservative by up to that second.
 *
 * Commits are kept in 100 ms buckets, so a cenv writing thousands of rows a second holds a
 * few dozen timestamps, not thousands.
 *
 * @example
 *   lag.commit(id);                 // from the bus
 *   lag.segmentStarted(id);         // "write wal segment"
 *   lag.segmentWritten(id);         // "wal segment written"
 *   lag.lagMs(id)                   // 0, or how long the oldest unconfirmed commit has waited
 */
const BUCKET_MS = 100;
const MONITOR_MS = 1000;

interface CenvLag {
  /** Commit times (bucketed, ascending) not yet confirmed on the replica. */
  pending: number[];
  /** When the segment being written now started, or null. */
  started: number | null;
  /** When the last segment reached the replica. */
  lastWritten: number | null;
}

export class LagTracker {
  private readonly cenvs = new Map<string, CenvLag>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  track(cenvId: string): void {
    if (!this.cenvs.has(cenvId)) this.cenvs.set(cenvId, { pending: [], started: null, lastWritten: null });
  }

  forget(cenvId: string): void {
    this.cenvs.delete(cenvId);
  }

  commit(cenvId: string): void {
    const entry = this.cenvs.get(cenvId);
    if (!entry) return;
    const at = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    if (entry.pending.at(-1) !== at) entry.pending.push(at);
  }

  segmentStarted(cenvId: string): void {
    const entry = this.cenvs.get(cenvId);
    if (entry) entry.started = this.now();
  }

  segmentWritten(cenvId: string): void {
    const entry = this.cenvs.get(cenvId);
    if (!entry || entry.started === null) return;
    const covered = entry.started - MONITOR_MS;
    while (entry.pending.length > 0 && entry.pending[0] < covered) entry.pending.shift();
    entry.lastWritten = this.now();
    entry.started = null;
  }

  /** A snapshot holds everything committed before it started: the same as a segment. */
  snapshotWritten(cenvId: string): void {
    this.segmentWritten(cenvId);
  }

  lagMs(cenvId: string): number {
    const oldest = this.cenvs.get(cenvId)?.pending[0];
    return oldest === undefined ? 0 : Math.max(0, this.now() - oldest);
  }

  /** The largest lag of all tracked cenvs. */
  maxLagMs(): number {
    let max = 0;
    for (const id of this.cenvs.keys()) max = Math.max(max, this.lagMs(id));
    return max;
  }
}
