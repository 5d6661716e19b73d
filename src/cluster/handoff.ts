/**
 * Giving cenvs up, planned or not.
 *
 * Planned (SIGTERM, `POST /cluster/drain`, a cenv idle for WCE_POOL_IDLE_MS, more owned
 * cenvs than WCE_MAX_OPEN_CENVS): new requests for the cenv wait; event streams are closed
 * (clients reconnect and reach the next owner); in-flight requests finish and are answered
 * normally (up to `handoffWaitMs`); the cenv is drained; Litestream makes its final sync;
 * only then is the claim deleted. The next owner restores from this token's replica, which
 * now holds every acknowledged write: no loss.
 *
 * Lease lost: the node may no longer answer for any cenv. Streams are cut at once, in-flight
 * requests get 503 when they try to answer (ownership.stillOwns), replication stops (its
 * final sync goes to this node's own replica path, which nobody restores from once a
 * successor has recorded its own), connections and caches are dropped.
 *
 * @example
 *   const handoff = new Handoff(ownership, { handoffWaitMs: 10_000, idleMs, maxOpen });
 *   await handoff.releaseAll();   // SIGTERM
 */
import { performance } from 'node:perf_hooks';
import { releaseClaim } from './claims.ts';
import type { Ownership, Serving } from './ownership.ts';

export interface HandoffOptions {
  handoffWaitMs: number;
  /** A cenv unused this long is handed back (its replica becomes the only copy that counts). */
  idleMs: number;
  /** At most this many cenvs stay open here; the least recently used idle ones are handed back. */
  maxOpen: number;
}

function closeStreams(entry: Serving): void {
  // A reply already sent or hijacked (an event stream) is a connection kept open: cut it.
  for (const reply of entry.replies) if (reply.sent) reply.raw.destroy();
}

function quiet(entry: Serving, ms: number): Promise<void> {
  if (entry.inflight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    entry.quiet.push(() => { clearTimeout(timer); resolve(); });
  });
}

export class Handoff {
  private readonly ownership: Ownership;
  private readonly options: HandoffOptions;

  constructor(ownership: Ownership, options: HandoffOptions) {
    this.ownership = ownership;
    this.options = options;
  }

  /** Hands one cenv back (final sync, claim deleted). */
  async release(id: string): Promise<void> {
    const found = this.ownership.entries.get(id);
    if (!found || !('replies' in found)) return;
    if (found.state === 'releasing') return found.done ?? undefined;
    const entry: Serving = found;
    entry.state = 'releasing';
    entry.done = (async () => {
      try {
        closeStreams(entry);
        await quiet(entry, this.options.handoffWaitMs);
        await this.ownership.exclusive(id, () => this.ownership.giveBack(id, entry.token));
      } finally {
        if (this.ownership.entries.get(id) === entry) this.ownership.entries.delete(id);
      }
    })();
    return entry.done;
  }

  /** Hands every cenv back: one final sync for all, then the claims. */
  async releaseAll(): Promise<void> {
    const { entries, parts } = this.ownership;
    // Cenvs being opened right now finish first, then go like the others.
    await Promise.all([...entries.values()].filter((entry) => entry.state === 'opening').map((entry) => entry.done));
    const serving = [...entries].filter((pair): pair is [string, Serving] => pair[1].state === 'serving');
    let finished!: () => void;
    const done = new Promise<void>((resolve) => { finished = resolve; });
    for (const [, entry] of serving) {
      entry.state = 'releasing';
      entry.done = done;
      closeStreams(entry);
    }
    const started = performance.now();
    const phases: Record<string, number> = {};
    const phase = (name: string) => { phases[name] = Math.round(performance.now() - started); };
    try {
      await Promise.all(serving.map(([, entry]) => quiet(entry, this.options.handoffWaitMs)));
      phase('inflightDoneMs');
      await parts.replicator.stopAll();
      phase('finalSyncMs');
      await Promise.all(serving.map(([id]) => this.ownership.exclusive(id, () => undefined)));
      phase('drainedMs');
      await Promise.all(serving.map(([id, entry]) => releaseClaim(parts.client, id, entry.token)
        .catch((error) => parts.log.warn({ err: error, cenvId: id }, 'cluster: cannot delete a claim; it ends with the lease'))));
      phase('releasedMs');
      parts.log.info({ cenvs: serving.length, ...phases }, 'cluster: handed every cenv back after a final sync');
    } finally {
      for (const [id, entry] of serving) if (entries.get(id) === entry) entries.delete(id);
      finished();
    }
    // Creations that completed meanwhile.
    for (const [id, entry] of [...entries]) if (entry.state === 'serving') await this.release(id);
  }

  /** The lease is gone: stop answering for every cenv at once. */
  async dropAll(): Promise<void> {
    const { entries, parts } = this.ownership;
    const dropped = [...entries];
    let finished!: () => void;
    const done = new Promise<void>((resolve) => { finished = resolve; });
    for (const [id, entry] of dropped) {
      if (entry.state === 'serving' || entry.state === 'releasing') closeStreams(entry);
      entries.set(id, { state: 'dropping', token: null, done });
    }
    try {
      await parts.replicator.stopAll();
      await Promise.all(dropped.map(([id]) => this.ownership.exclusive(id, () => undefined).catch((error) => {
        parts.log.warn({ err: error, cenvId: id }, 'cluster: draining a dropped cenv failed');
      })));
    } finally {
      for (const [id] of dropped) if (entries.get(id)?.done === done) entries.delete(id);
      finished();
    }
  }

  /** Hands back cenvs idle for `idleMs`, and the least recently used beyond `maxOpen`. */
  sweep(now = Date.now()): void {
    const serving = [...this.ownership.entries].filter((pair): pair is [string, Serving] => pair[1].state === 'serving');
    const idle = serving.filter(([, entry]) => entry.inflight === 0).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    let excess = serving.length - this.options.maxOpen;
    for (const [id, entry] of idle) {
      if (now - entry.lastUsed >= this.options.idleMs || excess > 0) {
        excess--;
        void this.release(id).catch((error) => this.ownership.parts.log.error({ err: error, cenvId: id }, 'cluster: idle handoff failed'));
      }
    }
  }
}
