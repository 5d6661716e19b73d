/**
 * Per-execution state: step budget, deadline, growth limits, dialect options,
 * print/load hooks and the call-frame stack used for backtraces.
 */
import { StarlarkError, type BacktraceFrame } from './errors.ts';
import type { StringHashCache } from './hash-cache.ts';
import type { Value } from './value.ts';

/** Growth limits, checked by builtins BEFORE allocating. */
export interface Limits {
  maxStringLength: number;
  maxListLength: number;
  maxDictSize: number;
  maxCallDepth: number;
}

/** Dialect switches; all default to false (the strict spec dialect). */
export interface DialectOptions {
  allowSet: boolean;
  allowWhile: boolean;
  allowRecursion: boolean;
  allowGlobalReassign: boolean;
  allowToplevelControl: boolean;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxStringLength: 1 << 26,
  maxListLength: 1 << 24,
  maxDictSize: 1 << 22,
  maxCallDepth: 1000,
};

export const DEFAULT_OPTIONS: Readonly<DialectOptions> = {
  allowSet: false,
  allowWhile: false,
  allowRecursion: false,
  allowGlobalReassign: false,
  allowToplevelControl: false,
};

/** Hook resolving `load("module", ...)`: returns the module's globals. */
export type LoadFn = (thread: Thread, module: string) => Record<string, Value>;

export interface ThreadInit {
  name?: string;
  /** Abort after this many steps (a step ~ one loop iteration, call, or unit of builtin work). */
  maxSteps?: number;
  /** Abort once Date.now() passes this (ms since epoch). */
  deadline?: number;
  limits?: Partial<Limits>;
  options?: Partial<DialectOptions>;
  print?: (thread: Thread, msg: string) => void;
  load?: LoadFn;
}

/** A call-stack frame. Compiled code updates `line`/`col` as it executes. */
export class Frame {
  name: string;
  file: string;
  line = 0;
  col = 0;
  constructor(name: string, file: string) {
    this.name = name;
    this.file = file;
  }
}

/** Most steps between two deadline checks (a typical step costs well under 1 µs). */
const MAX_CHECK_INTERVAL = 4096;
/** Target wall time between deadline checks; the interval in steps adapts to it. */
const CHECK_PERIOD_MS = 1;
/** Longest countdown, so that `left` stays a small integer (V8 Smi) when nothing needs checking. */
const MAX_COUNTDOWN = 1 << 29;

export class Thread {
  readonly name: string;
  /**
   * Steps left until the slow check (budget, deadline, cancel). Compiled loops
   * charge a step inline as `if (--th.left <= 0) th.check();`.
   */
  left = 0;
  /** The step count at which `left` reaches 0. */
  private mark = 0;
  readonly maxSteps: number;
  readonly deadline: number;
  readonly limits: Limits;
  readonly options: DialectOptions;
  print: (thread: Thread, msg: string) => void;
  load: LoadFn | null;
  /** Active frames, outermost first. Not popped when an error propagates (see captureBacktrace). */
  readonly frames: Frame[] = [];
  /** Embedder data (e.g. the current request); not touched by the interpreter. */
  readonly locals: Map<string, unknown> = new Map();
  /** hash() results of long strings (hash-cache.ts), created on first use. */
  hashCache: StringHashCache | null = null;
  /** Popped frames kept for reuse: a call then allocates no Frame. */
  private readonly spareFrames: Frame[] = [];
  private cancelReason: string | null = null;
  private readonly startTime = Date.now();
  /**
   * Steps between deadline checks. It shrinks when steps turn out slow (a
   * loop whose body is one big builtin call), so the deadline is noticed
   * within about one step of passing, and grows back when steps are cheap.
   */
  private interval = 1;
  private lastCheck = this.startTime;

  constructor(init: ThreadInit = {}) {
    this.name = init.name ?? 'main';
    this.maxSteps = init.maxSteps ?? Infinity;
    this.deadline = init.deadline ?? Infinity;
    this.limits = { ...DEFAULT_LIMITS, ...init.limits };
    this.options = { ...DEFAULT_OPTIONS, ...init.options };
    this.print = init.print ?? ((_t, msg) => process.stderr.write(msg + '\n'));
    this.load = init.load ?? null;
    this.scheduleCheck();
  }

  /** Steps charged so far. */
  get steps(): number {
    return this.mark - this.left;
  }

  /** Charges `n` steps; throws when the budget or deadline is exhausted. Cheap on the common path. */
  step(n = 1): void {
    if ((this.left -= n) <= 0) this.check();
  }

  /**
   * Asks the program to stop at its next step. Evaluation is synchronous, so
   * call it from a host function (or before a run); use `deadline` for timeouts.
   */
  cancel(reason: string): void {
    this.cancelReason = reason;
    this.mark -= this.left;
    this.left = 0;
  }

  /** The slow path of a step, run when `left` runs out: throws, or starts the next countdown. */
  check(): void {
    if (this.cancelReason !== null) throw new StarlarkError(`Starlark computation cancelled: ${this.cancelReason}`);
    if (this.steps > this.maxSteps) throw new StarlarkError(`step budget of ${this.maxSteps} exceeded`);
    if (this.deadline !== Infinity) {
      const now = Date.now();
      if (now > this.deadline) {
        throw new StarlarkError(`deadline exceeded (timeout ${Math.max(0, Math.round(this.deadline - this.startTime))} ms)`);
      }
      const elapsed = now - this.lastCheck;
      this.lastCheck = now;
      if (elapsed > CHECK_PERIOD_MS) this.interval = Math.max(1, this.interval >> 3);
      else if (this.interval < MAX_CHECK_INTERVAL) this.interval <<= 1;
    }
    this.scheduleCheck();
  }

  private scheduleCheck(): void {
    const steps = this.steps;
    const next = this.deadline === Infinity ? steps + MAX_COUNTDOWN : steps + this.interval;
    this.mark = Math.min(this.maxSteps + 1, next);
    this.left = this.mark - steps;
  }

  /** Throws if a string of `len` code units would exceed the limit. */
  checkString(len: number): void {
    if (len > this.limits.maxStringLength) {
      throw new StarlarkError(`string length ${len} exceeds limit of ${this.limits.maxStringLength}`);
    }
  }

  /** Throws if a list/tuple/bytes of `len` elements would exceed the limit. */
  checkList(len: number): void {
    if (len > this.limits.maxListLength) {
      throw new StarlarkError(`list length ${len} exceeds limit of ${this.limits.maxListLength}`);
    }
  }

  /** Throws if a dict/set of `size` entries would exceed the limit. */
  checkDict(size: number): void {
    if (size > this.limits.maxDictSize) {
      throw new StarlarkError(`dict size ${size} exceeds limit of ${this.limits.maxDictSize}`);
    }
  }

  /** Enters a function; returns the frame so compiled code can update its position cheaply. */
  pushFrame(name: string, file: string): Frame {
    if (this.frames.length >= this.limits.maxCallDepth) {
      throw new StarlarkError(`Starlark stack overflow: call depth exceeds limit of ${this.limits.maxCallDepth}`);
    }
    let f = this.spareFrames.pop();
    if (f === undefined) {
      f = new Frame(name, file);
    } else {
      f.name = name;
      f.file = file;
      f.line = 0;
      f.col = 0;
    }
    this.frames.push(f);
    return f;
  }

  /** Leaves the innermost function (on normal return only); its Frame object may be reused. */
  popFrame(): void {
    const f = this.frames.pop();
    if (f !== undefined) this.spareFrames.push(f);
  }

  /** Records the current position in the innermost frame. */
  setPos(line: number, col: number): void {
    const f = this.frames[this.frames.length - 1];
    if (f !== undefined) {
      f.line = line;
      f.col = col;
    }
  }

  /**
   * Attaches the frames still on the stack to `err` (once: the first call
   * wins, because frames are not popped while an error propagates), then
   * unwinds the stack to `depth`. Call it where the error is caught.
   */
  captureBacktrace(err: StarlarkError, depth = 0): void {
    if (err.backtrace.length === 0 && this.frames.length > 0) {
      err.backtrace = this.frames.map((f): BacktraceFrame => ({ name: f.name, pos: { file: f.file, line: f.line, col: f.col } }));
      err.pos = err.backtrace[err.backtrace.length - 1]!.pos;
    }
    this.frames.length = Math.min(this.frames.length, depth);
  }
}
