/**
 * Callbacks in the main process that run after tenant writes commit (page re-renders,
 * metrics, …). The sandbox child reports what a committed transaction wrote; a rollback
 * reports nothing, so hooks never see one. Hooks run after the reply is on its way, one after
 * another; a hook that throws (or rejects) is logged and the others still run — the commit
 * stands either way.
 */
import type { Principal } from '../auth/principal.ts';
import type { Write } from './tenant-db.ts';

export interface CommitEvent {
  cenvId: string;
  principal: Principal;
  /** One entry per written table and kind of change, with the rows it changed. */
  writes: Write[];
}

export type CommitHook = (event: CommitEvent) => void | Promise<void>;

/** Where a failing hook is reported (pino's `error(obj, msg)` fits). */
export interface HookLogger { error(details: object, message: string): void }

/** Sums the writes of one commit per (table, action). */
function summarise(writes: Write[]): Write[] {
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

export class CommitHooks {
  private readonly hooks: CommitHook[] = [];
  private readonly logger: HookLogger;

  constructor(logger: HookLogger = { error: (details, message) => console.error(message, details) }) {
    this.logger = logger;
  }

  /**
   * Adds a hook; returns a function that removes it again.
   * @example const off = hooks.register(({ cenvId, writes }) => pages.invalidate(cenvId, writes));
   */
  register(hook: CommitHook): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
  }

  /** Schedules every hook for one commit; returns a promise that settles when all have run. */
  emit(cenvId: string, principal: Principal, writes: Write[]): Promise<void> {
    if (writes.length === 0 || this.hooks.length === 0) return Promise.resolve();
    const event: CommitEvent = { cenvId, principal, writes: summarise(writes) };
    const hooks = [...this.hooks];
    return new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      for (const hook of hooks) {
        try {
          await hook(event);
        } catch (error) {
          this.logger.error({ err: error, cenvId }, 'commit hook failed; the commit stands');
        }
      }
    });
  }
}
