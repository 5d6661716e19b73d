/**
 * The commit-event bus of the main process. Every committed change to a cenv is published
 * here once: tenant writes reported by the sandbox (SQL API, endpoints) and the admin API's
 * own changes (users, grants, policies, settings, endpoints, templates, an import). Page
 * invalidation, the event stream, metrics and replication listen; a rollback publishes
 * nothing, so listeners never see one.
 *
 * Listeners run after the writer's reply is on its way, one after another; a listener that
 * throws (or rejects) is logged and the others still run — the commit stands either way.
 *
 * @example
 *   const off = bus.subscribe(({ cenvId, kind, writes }) => pages.invalidate(cenvId, writes));
 *   bus.publish({ cenvId, principal, kind: 'data', writes: reply.effects.writes });
 */
import type { Principal } from '../auth/principal.ts';
import type { Write } from './tenant-db.ts';
import type { ChangedRows } from './capture.ts';

/**
 * What kind of change committed: tenant data or schema (`data`), or a part of the cenv the
 * admin API manages. `access` covers grants, row policies and users' roles — anything that
 * changes what a principal may see; `sessions` a login, logout or revocation.
 */
export type CommitKind = 'data' | 'access' | 'users' | 'sessions' | 'config' | 'endpoints' | 'templates' | 'import';

export interface CommitEvent {
  cenvId: string;
  /** Who committed it (the caller, or the owner for a definer-rights endpoint). */
  principal: Principal;
  kind: CommitKind;
  /** One entry per written table and kind of change, with the rows it changed (summed). */
  writes: Write[];
  /** The changed rows' keys, when the job recorded them (the cenv has event listeners). */
  changes?: ChangedRows[];
  /**
   * For `access` events: the roles whose view changed (a grant's role, a policy's roles, the
   * roles of a user whose role changed). Absent: any role may be affected.
   */
  roles?: string[];
}

export type CommitListener = (event: CommitEvent) => void | Promise<void>;

/** Where a failing listener is reported (pino's `error(obj, msg)` fits). */
export interface BusLogger { error(details: object, message: string): void }

/** Sums the writes of one commit per (table, action). */
const DONE = Promise.resolve();

function summarise(writes: Write[]): Write[] {
  if (writes.length === 1) return [{ ...writes[0] }];
  const byKey = new Map<string, Write>();
  for (const w of writes) {
    const key = `${w.action}\u0000${w.table ?? ''}`;
    const seen = byKey.get(key);
    // null (unknown) counts do not hide the known ones.
    if (seen) seen.rows = seen.rows === null || w.rows === null ? (seen.rows ?? w.rows) : seen.rows + w.rows;
    else byKey.set(key, { ...w });
  }
  return [...byKey.values()];
}

export class CommitBus {
  private readonly listeners: CommitListener[] = [];
  private readonly logger: BusLogger;
  /** Events published since start, by kind (metrics read it). */
  readonly published = new Map<CommitKind, number>();
  /** Events of this turn, and the delivery that will run their listeners after it. */
  private waiting: CommitEvent[] = [];
  private delivery: Promise<void> | null = null;

  constructor(logger: BusLogger = { error: (details, message) => console.error(message, details) }) {
    this.logger = logger;
  }

  /** Adds a listener; returns a function that removes it again. */
  subscribe(listener: CommitListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /**
   * Schedules every listener for one commit; returns a promise that settles when all have
   * run. A `data` event with no writes (a read) is not published. The commits of one turn of
   * the event loop are delivered together, in order, after it: under write load that is one
   * scheduled delivery for many commits instead of one each.
   */
  publish(event: CommitEvent): Promise<void> {
    if (event.kind === 'data' && event.writes.length === 0) return DONE;
    this.published.set(event.kind, (this.published.get(event.kind) ?? 0) + 1);
    if (this.listeners.length === 0) return DONE;
    this.waiting.push({ ...event, writes: summarise(event.writes) });
    return (this.delivery ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliver()));
  }

  private async deliver(): Promise<void> {
    const events = this.waiting;
    this.waiting = [];
    this.delivery = null;
    const listeners = [...this.listeners];
    for (const event of events) {
      for (const listener of listeners) {
        try {
          await listener(event);
        } catch (error) {
          this.logger.error({ err: error, cenvId: event.cenvId }, 'commit listener failed; the commit stands');
        }
      }
    }
  }
}
