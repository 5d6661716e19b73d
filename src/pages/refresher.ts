/**
 * Re-renders pages in the background after commits, coalesced, never twice at once.
 *
 * - `mark(cenv, paths)` asks for a refresh. A page already waiting is not queued again, so
 *   a burst of commits before the first re-render starts costs one render per page.
 * - A page being rendered when a new mark arrives is rendered once more afterwards (its
 *   render may have read before that commit), however many marks arrived meanwhile.
 * - Each cenv runs at most `concurrency` background renders at once, so one cenv's 1,000
 *   pages neither hog the sandbox nor starve other cenvs' requests (the sandbox queue
 *   is fair between cenvs on top of this).
 * - `now(cenv, path)` is a visitor waiting on a cache miss: it starts at once (or joins the
 *   render already running) instead of queueing behind background work.
 *
 * The render function stores its result itself; a failed template is a recorded error, not
 * a rejection. It rejects when the sandbox would not take the job (503 overloaded, 429 for a
 * visitor's address): a visitor's `now` gets that error; a background render is tried again
 * after a pause, up to MAX_RETRIES times, the last time with `lastTry` so it records the
 * failure instead. Anything else it throws is logged.
 *
 * @example
 *   const refresher = new Refresher((cenvId, path) => service.renderAndStore(cenvId, path), { concurrency: 4 });
 *   refresher.mark(cenvId, ['index', 'posts/1']);
 *   await refresher.idle();
 */

/** What a render is told: the visitor waiting for it (if any), and whether to record a refusal. */
export interface RenderOptions<O> { origin?: O; lastTry: boolean }

export type RenderFn<O = unknown> = (cenvId: string, path: string, options: RenderOptions<O>) => Promise<void>;

/** Background retries of a render the sandbox refused, and the first pause (doubled each time). */
const MAX_RETRIES = 3;
const RETRY_MS = 250;

export interface RefresherOptions {
  /** Background renders per cenv at once. */
  concurrency?: number;
  /** How long the first mark of a burst waits for more before renders start (ms). */
  delayMs?: number;
  logger?: { error(details: object, message: string): void };
}

interface PageState { running: Promise<void> | null; background: boolean; queued: boolean; dirty: boolean }

function refused(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return status === 503 || status === 429;
}

interface CenvQueue { paths: string[]; running: number; timer: NodeJS.Timeout | null }

export class Refresher<O = unknown> {
  private readonly render: RenderFn<O>;
  private readonly concurrency: number;
  private readonly delayMs: number;
  private readonly logger: RefresherOptions['logger'];
  private readonly pages = new Map<string, PageState>();
  private readonly queues = new Map<string, CenvQueue>();
  private readonly idlers: Array<() => void> = [];
  /** Background refusals so far, by page, and the retry timers waiting. */
  private readonly retries = new Map<string, number>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** Renders started since start (tests and the bench read it). */
  renders = 0;

  constructor(render: RenderFn<O>, options: RefresherOptions = {}) {
    this.render = render;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.delayMs = Math.max(0, options.delayMs ?? 2);
    this.logger = options.logger;
  }

  /** Asks for a background re-render of each path of `cenvId`. */
  mark(cenvId: string, paths: Iterable<string>): void {
    if (this.closed) return;
    const queue = this.queueOf(cenvId);
    for (const path of paths) {
      const state = this.stateOf(cenvId, path);
      if (state.running) state.dirty = true;
      else if (!state.queued) {
        state.queued = true;
        queue.paths.push(path);
      }
    }
    if (queue.paths.length > 0 && !queue.timer) {
      queue.timer = setTimeout(() => {
        queue.timer = null;
        this.pump(cenvId);
      }, this.delayMs);
    }
  }

  /**
   * Renders `path` now for a waiting visitor (`origin`: who, for the sandbox's per-address
   * cap), or joins the render of it already running. Rejects when the sandbox refused it.
   */
  now(cenvId: string, path: string, origin?: O): Promise<void> {
    const state = this.stateOf(cenvId, path);
    if (state.running) return state.running;
    if (state.queued) {
      state.queued = false;
      const queue = this.queueOf(cenvId);
      queue.paths.splice(queue.paths.indexOf(path), 1);
    }
    return this.start(cenvId, path, state, false, origin);
  }

  /** Resolves once nothing is queued or rendering (tests, the bench, shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  /** Stops taking marks; renders already running finish. */
  close(): void {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const [cenvId, queue] of this.queues) {
      if (queue.timer) clearTimeout(queue.timer);
      queue.timer = null;
      for (const path of queue.paths.splice(0)) {
        const state = this.pages.get(key(cenvId, path));
        if (state?.running) state.queued = false;
        else this.pages.delete(key(cenvId, path));
      }
    }
    this.settleIfIdle();
  }

  private pump(cenvId: string): void {
    const queue = this.queues.get(cenvId);
    if (!queue) return;
    while (queue.running < this.concurrency && queue.paths.length > 0) {
      const path = queue.paths.shift()!;
      const state = this.stateOf(cenvId, path);
      state.queued = false;
      queue.running++;
      void this.start(cenvId, path, state, true);
    }
  }

  private start(cenvId: string, path: string, state: PageState, background: boolean, origin?: O): Promise<void> {
    this.renders++;
    state.background = background;
    const k = key(cenvId, path);
    const attempt = this.retries.get(k) ?? 0;
    const run = this.render(cenvId, path, { origin, lastTry: background && attempt >= MAX_RETRIES });
    state.running = run.then(() => {
      this.retries.delete(k);
    }, (error: unknown) => {
      if (background && refused(error) && attempt < MAX_RETRIES && !this.closed) return this.retryLater(cenvId, path, attempt + 1);
      this.retries.delete(k);
      // At shutdown the sandbox refuses what is still running: nothing worth a log line.
      if (background && !this.closed) this.logger?.error({ err: error, cenvId, path }, 'page re-render failed');
    }).finally(() => this.finished(cenvId, path, state));
    // The visitor gets the render's own outcome; joiners and the bookkeeping get `running`.
    return run;
  }

  /** Marks the page again after a pause that doubles with each refusal. */
  private retryLater(cenvId: string, path: string, attempt: number): void {
    this.retries.set(key(cenvId, path), attempt);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.mark(cenvId, [path]);
      this.settleIfIdle();
    }, RETRY_MS * 2 ** (attempt - 1));
    this.retryTimers.add(timer);
  }

  private finished(cenvId: string, path: string, state: PageState): void {
    state.running = null;
    const queue = this.queueOf(cenvId);
    if (state.background) queue.running--;
    if (state.dirty && !this.closed) {
      state.dirty = false;
      state.queued = true;
      queue.paths.push(path);
    }
    if (!state.queued) this.pages.delete(key(cenvId, path));
    this.pump(cenvId);
    if (queue.running === 0 && queue.paths.length === 0 && !queue.timer) this.queues.delete(cenvId);
    this.settleIfIdle();
  }

  private stateOf(cenvId: string, path: string): PageState {
    const k = key(cenvId, path);
    let state = this.pages.get(k);
    if (!state) {
      state = { running: null, background: false, queued: false, dirty: false };
      this.pages.set(k, state);
    }
    return state;
  }

  private queueOf(cenvId: string): CenvQueue {
    let queue = this.queues.get(cenvId);
    if (!queue) {
      queue = { paths: [], running: 0, timer: null };
      this.queues.set(cenvId, queue);
    }
    return queue;
  }

  private isIdle(): boolean {
    return this.pages.size === 0 && this.retryTimers.size === 0;
  }

  private settleIfIdle(): void {
    if (this.isIdle()) for (const wake of this.idlers.splice(0)) wake();
  }
}

function key(cenvId: string, path: string): string {
  return `${cenvId}\u0000${path}`;
}
