/**
 * Sessions the main process checked recently, so an authenticated request does not run the
 * session query every time (it was a fifth of the main process's work per request).
 *
 * Why this is safe: only the main process writes `_wce_sessions` and `_wce_users` (tenant SQL
 * cannot touch `_wce_*` tables), and every route that does — login, logout, revocation, user
 * changes, ownership, an import — invalidates the cenv here synchronously, before it answers
 * (src/server/caller.ts `publishChange`). So a revocation still takes effect on the very next
 * request. An entry is also re-checked against the database after `ttlMs` (which refreshes
 * `last_used`), and its expiry is checked on every hit.
 *
 * @example
 *   const live = cache.get(cenvId, sessionId, userId) ?? cache.set(cenvId, checkSession(db, sessionId, userId));
 *   cache.invalidate(cenvId); // after logout
 */
import { BoundedCache } from '../tools/lru.ts';
import type { LiveSession } from './sessions.ts';

interface Entry { live: LiveSession; generation: number; checkedAt: number; expiresAt: number }

export class SessionCache {
  private readonly entries: BoundedCache<string, Entry>;
  /** Bumped by `invalidate`; entries of an older generation are stale. */
  private readonly generations = new Map<string, number>();
  private readonly ttlMs: number;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.entries = new BoundedCache(options.max ?? 20_000);
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  /** The cached live session, or undefined when it must be checked against the database. */
  get(cenvId: string, sessionId: string, userId: string, now = Date.now()): LiveSession | undefined {
    const entry = this.entries.get(`${cenvId}\u0000${sessionId}`);
    if (!entry) return undefined;
    if (entry.generation !== (this.generations.get(cenvId) ?? 0) || now - entry.checkedAt >= this.ttlMs ||
        now >= entry.expiresAt || entry.live.session.userId !== userId) {
      this.entries.delete(`${cenvId}\u0000${sessionId}`);
      return undefined;
    }
    return entry.live;
  }

  /** Remembers a session the database just confirmed (null: nothing to remember). */
  set(cenvId: string, live: LiveSession | null, now = Date.now()): LiveSession | null {
    if (live) {
      this.entries.set(`${cenvId}\u0000${live.session.id}`, {
        live, generation: this.generations.get(cenvId) ?? 0, checkedAt: now, expiresAt: Date.parse(live.session.expiresAt),
      });
    }
    return live;
  }

  /** Forgets every session of `cenvId` (a session or user of it changed). */
  invalidate(cenvId: string): void {
    this.generations.set(cenvId, (this.generations.get(cenvId) ?? 0) + 1);
  }
}
