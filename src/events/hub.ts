/**
 * Who listens to which cenv's changes: subscribers grouped by principal (all anonymous
 * visitors of a cenv form one group, each signed-in user their own), because row policies
 * decide per principal what a row looks like — one read per group serves all its
 * subscribers. A group also remembers the keys it has been shown, per table (bounded), so a
 * row that leaves its view produces a `leave` event for those who had it, and nobody else
 * learns that a row they never saw changed.
 *
 * Limits: subscribers per cenv and per user (anonymous: per address) come from the cenv's
 * settings; past them a subscription is refused with 429. The fan-out lives in fanout.ts.
 */
import type { Principal } from '../auth/principal.ts';
import { RateLimitedError } from '../errors.ts';
import { BoundedSet } from '../tools/bounded-set.ts';
import type { EventStream } from './stream.ts';
import type { ChangedRows } from '../db/capture.ts';

/** Keys a group remembers per table (for `leave` events); the oldest are forgotten first. */
export const MAX_SEEN_KEYS = 10_000;
/** Commits kept for `Last-Event-ID` resumption, per cenv. */
export const RESUME_BUFFER = 1000;
/** How long after its last subscriber left a cenv's commits are still recorded (a short disconnect). */
export const RESUME_GRACE_MS = 60_000;

export interface Group {
  key: string;
  principal: Principal;
  subscribers: Set<Subscriber>;
  /** table → keys (JSON text) shown to this principal. */
  seen: Map<string, BoundedSet<string>>;
}

export interface Subscriber {
  id: number;
  cenvId: string;
  group: Group;
  /** Lower-case table names. */
  tables: Set<string>;
  channels: Set<string>;
  stream: EventStream;
  limitKey: string;
  /** The session the stream was opened with (null: anonymous); the stream ends with it. */
  sessionId: string | null;
}

/** One commit as kept for resumption. */
export interface CommitRecord { seq: number; changes: ChangedRows[]; reloads: string[] }

export interface CenvEvents {
  seq: number;
  records: CommitRecord[];
  groups: Map<string, Group>;
  count: number;
  perLimitKey: Map<string, number>;
  /** Commits are fanned out one after another, so every subscriber sees them in order. */
  chain: Promise<void>;
  /** Primary-key columns per table (lower-case name), learned from snapshots and changesets. */
  pk: Map<string, string[]>;
  /** When the last subscriber left (0 while any is connected). */
  emptySince: number;
}

export function groupKey(principal: Principal): string {
  return principal.userId === null ? 'anonymous' : `user:${principal.userId}`;
}

export class SubscriberRegistry {
  readonly cenvs = new Map<string, CenvEvents>();
  private nextId = 1;

  /**
   * True when someone listens to `cenvId`, or did within RESUME_GRACE_MS (so a client that
   * reconnects gets what it missed): its jobs then record which rows they change.
   */
  watching(cenvId: string, now = Date.now()): boolean {
    const entry = this.cenvs.get(cenvId);
    if (!entry) return false;
    if (entry.count > 0) return true;
    if (now - entry.emptySince < RESUME_GRACE_MS) return true;
    this.cenvs.delete(cenvId);
    return false;
  }

  cenv(cenvId: string): CenvEvents {
    let entry = this.cenvs.get(cenvId);
    if (!entry) {
      entry = { seq: 0, records: [], groups: new Map(), count: 0, perLimitKey: new Map(), chain: Promise.resolve(), pk: new Map(), emptySince: 0 };
      this.cenvs.set(cenvId, entry);
    }
    return entry;
  }

  /** Throws 429 when a new subscriber of `principal` would pass a limit (checked again by `add`). */
  admit(cenvId: string, principal: Principal, ip: string, limits: { perCenv: number; perUser: number }): void {
    const entry = this.cenvs.get(cenvId);
    if (!entry) return;
    if (entry.count >= limits.perCenv) {
      throw new RateLimitedError(`this cenv already has ${entry.count} event subscribers (events_max_subscribers_per_cenv); try again later`);
    }
    const mine = entry.perLimitKey.get(principal.userId ?? `ip:${ip}`) ?? 0;
    if (mine >= limits.perUser) {
      throw new RateLimitedError(`you already have ${mine} event streams open on this cenv (events_max_subscribers_per_user); close one first`);
    }
  }

  /**
   * Adds a subscriber, or throws 429 past a limit. It leaves when its stream closes.
   * @example registry.add(cenvId, principal, '1.2.3.4', stream, { tables, channels }, { perCenv: 1000, perUser: 10 })
   */
  add(
    cenvId: string, principal: Principal, ip: string, stream: EventStream,
    topics: { tables: string[]; channels: string[] }, limits: { perCenv: number; perUser: number },
  ): Subscriber {
    this.admit(cenvId, principal, ip, limits);
    const entry = this.cenv(cenvId);
    const limitKey = principal.userId ?? `ip:${ip}`;
    const mine = entry.perLimitKey.get(limitKey) ?? 0;
    const key = groupKey(principal);
    let group = entry.groups.get(key);
    if (!group) {
      group = { key, principal, subscribers: new Set(), seen: new Map() };
      entry.groups.set(key, group);
    }
    const subscriber: Subscriber = {
      id: this.nextId++, cenvId, group, stream, limitKey, sessionId: principal.sessionId,
      tables: new Set(topics.tables.map((t) => t.toLowerCase())), channels: new Set(topics.channels),
    };
    group.subscribers.add(subscriber);
    entry.count++;
    entry.perLimitKey.set(limitKey, mine + 1);
    stream.onClose(() => this.remove(subscriber));
    return subscriber;
  }

  /** The signed-in subscribers of `cenvId` by the session their stream was opened with. */
  bySession(cenvId: string): Map<string, { userId: string; subscribers: Subscriber[] }> {
    const sessions = new Map<string, { userId: string; subscribers: Subscriber[] }>();
    for (const group of this.cenvs.get(cenvId)?.groups.values() ?? []) {
      for (const subscriber of group.subscribers) {
        if (subscriber.sessionId === null || group.principal.userId === null) continue;
        let entry = sessions.get(subscriber.sessionId);
        if (!entry) sessions.set(subscriber.sessionId, entry = { userId: group.principal.userId, subscribers: [] });
        entry.subscribers.push(subscriber);
      }
    }
    return sessions;
  }

  /** Ends every stream (the server is stopping: an open stream would hold its shutdown forever). */
  closeAll(reason: string): number {
    const streams = [...this.cenvs.values()].flatMap((entry) => [...entry.groups.values()].flatMap((group) => [...group.subscribers].map((s) => s.stream)));
    for (const stream of streams) stream.close(reason);
    return streams.length;
  }

  remove(subscriber: Subscriber): void {
    const entry = this.cenvs.get(subscriber.cenvId);
    if (!entry || !subscriber.group.subscribers.delete(subscriber)) return;
    entry.count--;
    const left = (entry.perLimitKey.get(subscriber.limitKey) ?? 1) - 1;
    if (left > 0) entry.perLimitKey.set(subscriber.limitKey, left);
    else entry.perLimitKey.delete(subscriber.limitKey);
    // The group (with the keys it was shown), the resume buffer and the sequence stay: a client
    // that reconnects soon resumes from them; they go when the cenv stops being watched.
    if (entry.count === 0) entry.emptySince = Date.now();
  }

  /** Remembers the commit for resumption and returns its sequence number. */
  record(entry: CenvEvents, changes: ChangedRows[], reloads: string[]): CommitRecord {
    const record = { seq: ++entry.seq, changes, reloads };
    entry.records.push(record);
    if (entry.records.length > RESUME_BUFFER) entry.records.shift();
    return record;
  }

  /** The set of keys `group` has been shown in `table`. */
  seen(group: Group, table: string): BoundedSet<string> {
    let set = group.seen.get(table);
    if (!set) {
      set = new BoundedSet(MAX_SEEN_KEYS);
      group.seen.set(table, set);
    }
    return set;
  }
}
