/**
 * The event stream's engine in the main process. It listens to the commit-event bus; for
 * each commit to a cenv that has subscribers it re-reads the changed rows once per principal
 * group, in the sandbox, under that principal's grants and row policies, and sends each
 * subscriber of the table what it may see: the row (`change`), or — for a row it had and may
 * no longer see, updated out of its policy or deleted — its key alone (`leave`). A change to
 * grants, policies or roles re-reads the rows each group was shown, and a revoked grant ends
 * that table's events (`revoked`). Commits are numbered and the last RESUME_BUFFER kept, so a
 * client that reconnects with `Last-Event-ID` gets what it missed (re-read now), or a `reset`
 * when the gap is older than that.
 */
import type { Principal } from '../auth/principal.ts';
import type { CommitEvent } from '../db/commit-bus.ts';
import type { ChangedRows } from '../db/capture.ts';
import { SubscriberRegistry, type CenvEvents, type CommitRecord, type Group, type Subscriber } from './hub.ts';

export interface KeyedRows { rows: Array<{ key: unknown[]; row: Record<string, unknown> }>; truncated: boolean; pk?: string[] }

/** Reads rows in the sandbox as `principal` (deps.ts builds it from the pool and the settings). */
export type EventReader = (cenvId: string, principal: Principal, op: 'eventRows' | 'eventSnapshot', payload: object) => Promise<KeyedRows>;

export interface HubLogger { warn(details: object, message: string): void }

/** Which of `sessions` may still be used (not revoked or expired, the user enabled): their ids. */
export type SessionCheck = (cenvId: string, sessions: Array<{ sessionId: string; userId: string }>) => Promise<Set<string>>;

/** How often streams are checked against their sessions when nothing else prompts it (expiry). */
const SESSION_RECHECK_MS = 60_000;

/** Who may receive a message an endpoint published: the endpoint's own access level. */
export type PublishAccess = 'public' | 'user' | 'admin';

interface Delivery { changes: ChangedRows[]; reloads: string[]; access: boolean; message: { channel: string; value: unknown; access: PublishAccess } | null }

/** Epoch of this server's event ids: an id from before a restart names no commit here. */
const EPOCH = Date.now().toString(36);

export function eventId(seq: number): string {
  return `${EPOCH}-${seq}`;
}

function allowed(access: PublishAccess, principal: Principal): boolean {
  if (access === 'public') return true;
  if (access === 'user') return principal.userId !== null;
  return principal.role === 'owner' || principal.role === 'admin';
}

export class EventHub {
  readonly registry = new SubscriberRegistry();
  private readonly read: EventReader;
  private readonly log: HubLogger;
  private readonly sessionLive: SessionCheck | null;

  /**
   * `sessionLive` ends a signed-in subscriber's stream when its session ends — logout, a
   * revocation, a password, role or enabled change (which revoke), or expiry — so a stream
   * never outlives the right to open it. Checked after every change to users, sessions or
   * access, and every minute.
   */
  constructor(read: EventReader, log: HubLogger, sessionLive: SessionCheck | null = null) {
    this.read = read;
    this.log = log;
    this.sessionLive = sessionLive;
    if (sessionLive) {
      const timer = setInterval(() => { for (const cenvId of this.registry.cenvs.keys()) void this.recheckSessions(cenvId); }, SESSION_RECHECK_MS);
      timer.unref();
    }
  }

  /** Ends the streams whose session is over (one query for all of a cenv's sessions). */
  async recheckSessions(cenvId: string): Promise<void> {
    if (!this.sessionLive) return;
    const sessions = this.registry.bySession(cenvId);
    if (sessions.size === 0) return;
    let live: Set<string>;
    try {
      live = await this.sessionLive(cenvId, [...sessions].map(([sessionId, { userId }]) => ({ sessionId, userId })));
    } catch (error) {
      this.log.warn({ err: error, cenvId }, 'event stream session check failed');
      return;
    }
    for (const [sessionId, { subscribers }] of sessions) {
      if (live.has(sessionId)) continue;
      for (const subscriber of subscribers) {
        subscriber.stream.send({ event: 'ended', data: { reason: 'your session ended (logged out, revoked, expired, or your account changed); log in again' } });
        subscriber.stream.close('session ended');
      }
    }
  }

  /** True when `cenvId` has subscribers (its jobs then record the keys of changed rows). */
  watching(cenvId: string): boolean {
    return this.registry.watching(cenvId);
  }

  /**
   * Checks that `principal` may read each table (throws the read's error: 403, 400) and
   * returns each table's first `snapshotLimit` rows and primary key.
   */
  async check(cenvId: string, principal: Principal, tables: string[], snapshotLimit: number): Promise<Map<string, KeyedRows>> {
    const out = new Map<string, KeyedRows>();
    for (const table of tables) out.set(table, await this.read(cenvId, principal, 'eventSnapshot', { table, limit: snapshotLimit }));
    return out;
  }

  /** Starts delivering to `subscriber`: its snapshot, then what it missed since `lastEventId`. */
  start(subscriber: Subscriber, snapshot: Map<string, KeyedRows> | null, lastEventId: string | null): void {
    const entry = this.registry.cenv(subscriber.cenvId);
    subscriber.stream.send({ event: 'ready', data: { tables: [...subscriber.tables], channels: [...subscriber.channels], last_event_id: eventId(entry.seq) } });
    for (const [table, found] of snapshot ?? []) {
      const lower = table.toLowerCase();
      if (found.pk) entry.pk.set(lower, found.pk);
      const seen = this.registry.seen(subscriber.group, lower);
      for (const { key } of found.rows) seen.add(JSON.stringify(key));
      subscriber.stream.send({ event: 'snapshot', data: { table: lower, rows: found.rows, truncated: found.truncated } });
    }
    if (lastEventId === null) return;
    const [epoch, seqText] = lastEventId.split('-');
    const seq = Number(seqText);
    const oldest = entry.records[0]?.seq ?? entry.seq + 1;
    if (epoch !== EPOCH || !Number.isSafeInteger(seq) || seq > entry.seq || seq < oldest - 1) {
      subscriber.stream.send({ event: 'reset', data: { reason: 'the changes since your last event are no longer kept; reload your data' } });
      return;
    }
    const missed = entry.records.filter((r) => r.seq > seq);
    entry.chain = entry.chain.then(async () => {
      for (const record of missed) await this.deliver(entry, record, subscriber);
    }).catch((error) => this.log.warn({ err: error }, 'event resumption failed'));
  }

  /** The commit-event bus listener. */
  onCommit(event: CommitEvent): void {
    if (!this.registry.watching(event.cenvId)) return;
    const entry = this.registry.cenv(event.cenvId);
    if (event.kind === 'data') {
      const changes = (event.changes ?? []).filter((c) => !c.overflow);
      const keyed = new Set(changes.map((c) => c.table.toLowerCase()));
      const reloads = [...new Set(event.writes.map((w) => w.table?.toLowerCase()).filter((t): t is string => !!t && !keyed.has(t)))];
      if (changes.length === 0 && reloads.length === 0) return;
      this.enqueue(entry, { changes, reloads, access: false, message: null });
    } else if (event.kind === 'access' || event.kind === 'import') {
      this.enqueue(entry, { changes: [], reloads: [], access: true, message: null });
    }
    if (event.kind === 'users' || event.kind === 'sessions' || event.kind === 'access' || event.kind === 'import') void this.recheckSessions(event.cenvId);
  }

  /** Delivers a message an endpoint published to the channel's subscribers its access level admits. */
  publish(cenvId: string, channel: string, value: unknown, access: PublishAccess): void {
    const entry = this.registry.cenvs.get(cenvId);
    if (!entry || entry.count === 0) return;
    this.enqueue(entry, { changes: [], reloads: [], access: false, message: { channel, value, access } });
  }

  private enqueue(entry: CenvEvents, delivery: Delivery): void {
    const record = this.registry.record(entry, delivery.changes, delivery.reloads);
    Object.assign(record, { access: delivery.access, message: delivery.message });
    entry.chain = entry.chain.then(() => this.deliver(entry, record)).catch((error) => this.log.warn({ err: error }, 'event delivery failed'));
  }

  /** Sends one commit's events to every group (or to `only`, resuming). */
  private async deliver(entry: CenvEvents, record: CommitRecord & Partial<Delivery>, only?: Subscriber): Promise<void> {
    const id = eventId(record.seq);
    for (const group of only ? [only.group] : [...entry.groups.values()]) {
      const members = (table: string) => [...group.subscribers].filter((s) => (!only || s === only) && s.tables.has(table) && !s.stream.closed);
      if (record.message) {
        const { channel, value, access } = record.message;
        if (!allowed(access, group.principal)) continue;
        for (const s of group.subscribers) if ((!only || s === only) && s.channels.has(channel)) s.stream.send({ id, event: 'message', data: { channel, value } });
        continue;
      }
      for (const table of record.reloads) {
        for (const s of members(table)) s.stream.send({ id, event: 'reload', data: { table, reason: 'rows of this table changed that cannot be named one by one (no primary key, or too many)' } });
      }
      for (const change of record.changes) {
        const table = change.table.toLowerCase();
        const targets = members(table);
        if (targets.length === 0) continue;
        entry.pk.set(table, change.pk);
        // A row the change deleted but the reader still sees (a savepoint undid it) is an update.
        const ops = new Map(change.keys.map((k, i) => [JSON.stringify(k), change.ops[i] === 'insert' ? 'insert' : 'update']));
        await this.reread(entry, group, table, change.pk, change.keys, targets, id, (key) => ops.get(key) ?? 'update');
      }
      if (record.access) {
        const tables = new Set([...group.subscribers].flatMap((s) => [...s.tables]));
        for (const table of tables) {
          const seen = [...this.registry.seen(group, table).values()].map((k) => JSON.parse(k) as unknown[]);
          await this.reread(entry, group, table, entry.pk.get(table) ?? [], seen, members(table), id, null);
        }
      }
    }
  }

  /**
   * Re-reads `keys` of `table` as the group's principal and sends each target what it may
   * see now. `op` names the change for rows still visible; null sends nothing for those
   * (a re-evaluation only reports rows that left).
   */
  private async reread(entry: CenvEvents, group: Group, table: string, pk: string[], keys: unknown[][], targets: Subscriber[], id: string, op: ((key: string) => string) | null): Promise<void> {
    if (targets.length === 0) return;
    const cenvId = targets[0].cenvId;
    let found: KeyedRows;
    try {
      // With no keys to look at, a cheap read still tells whether the grant is there.
      found = pk.length === 0 || keys.length === 0
        ? await this.read(cenvId, group.principal, 'eventSnapshot', { table, limit: 0 })
        : await this.read(cenvId, group.principal, 'eventRows', { table, pk, keys });
    } catch (error) {
      const failure = error as Error & { statusCode?: number };
      if (failure.statusCode === 403 || failure.statusCode === 401 || failure.statusCode === 400) {
        for (const s of targets) {
          s.tables.delete(table);
          s.stream.send({ id, event: 'revoked', data: { table, message: failure.message } });
          if (s.tables.size === 0 && s.channels.size === 0) s.stream.close('nothing left to listen to');
        }
        group.seen.delete(table);
        return;
      }
      throw error;
    }
    if (found.pk) entry.pk.set(table, found.pk);
    const visible = new Map(found.rows.map((r) => [JSON.stringify(r.key), r]));
    const seen = this.registry.seen(group, table);
    for (const key of keys) {
      const text = JSON.stringify(key);
      const row = visible.get(text);
      if (row) {
        seen.add(text);
        if (op) for (const s of targets) s.stream.send({ id, event: 'change', data: { table, op: op(text), key, row: row.row } });
      } else if (seen.delete(text)) {
        for (const s of targets) s.stream.send({ id, event: 'leave', data: { table, key } });
      }
    }
  }
}
