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
 * The render function stores its result itself and must not throw for a failed template
 * (that is a recorded error); anything it throws is logged and the page is not retried
 * until its next mark.
 *
 * @example
 *   const refresher = new Refresher((cenvId, path) => service.renderAndStore(cenvId, path), { concurrency: 4 });
 *   refresher.mark(cenvId, ['index', 'posts/1']);
 *   await refresher.idle();
 */

export type RenderFn = (cenvId: string, path: string) => Promise<void>;

export interface RefresherOptions {
  /** Background renders per cenv at once. */
  concurrency?: number;
  /** How long the first mark of a burst waits for more before renders start (ms). */
  delayMs?: number;
  logger?: { error(details: object, message: string): void };
}

interface PageState { running: Promise<void> | null; background: boolean; queued: boolean; dirty: boolean }

interface CenvQueue { paths: string[]; running: number; timer: NodeJS.Timeout | null }

export class Refresher {
  private readonly render: RenderFn;
  private readonly concurrency: number;
  private readonly delayMs: number;
  private readonly logger: RefresherOptions['logger'];
  private readonly pages = new Map<string, PageState>();
  private readonly queues = new Map<string, CenvQueue>();
  private readonly idlers: Array<() => void> = [];
  private closed = false;
  /** Renders started since start (tests and the bench read it). */
  renders = 0;

  constructor(render: RenderFn, options: RefresherOptions = {}) {
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

  /** Renders `path` now for a waiting visitor, or joins the render of it already running. */
  now(cenvId: string, path: string): Promise<void> {
    const state = this.stateOf(cenvId, path);
    if (state.running) return state.running;
    if (state.queued) {
      state.queued = false;
      const queue = this.queueOf(cenvId);
      queue.paths.splice(queue.paths.indexOf(path), 1);
    }
    return this.start(cenvId, path, state, false);
  }

  /** Resolves once nothing is queued or rendering (tests, the bench, shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  /** Stops taking marks; renders already running finish. */
  close(): void {
    this.closed = true;
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

  private start(cenvId: string, path: string, state: PageState, background: boolean): Promise<void> {
    this.renders++;
    state.background = background;
    state.running = this.render(cenvId, path)
      .catch((error: unknown) => this.logger?.error({ err: error, cenvId, path }, 'page re-render failed'))
      .finally(() => {
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
      });
    return state.running;
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
    return this.pages.size === 0;
  }

  private settleIfIdle(): void {
    if (this.isIdle()) for (const wake of this.idlers.splice(0)) wake();
  }
}

function key(cenvId: string, path: string): string {
  return `${cenvId}\u0000${path}`;
}
