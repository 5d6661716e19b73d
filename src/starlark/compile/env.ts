/**
 * Run-time structures shared by compiled closures: the activation record of
 * a call (Env), closure cells, and the per-module context.
 */
import type { Frame, Thread } from "../values/thread.ts";
import type { Value } from "../values/value.ts";

/** A captured variable shared between a function and its closures. */
export class Cell {
  v: Value | undefined = undefined;
}

/** A local slot holds a value, a Cell (for captured locals), or undefined (unbound). */
export type Slot = Value | Cell | undefined;

/** Per-module state captured by its compiled closures. */
export interface ModuleCtx {
  readonly filename: string;
  /** Global slots, indexed by the resolver's global bindings; undefined = unassigned. */
  readonly globals: Array<Value | undefined>;
  readonly globalNames: readonly string[];
}

/** Signals returned by compiled statements. */
export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;
export type Signal = 0 | 1 | 2 | 3;

/** Activation record of one call of a compiled function (or of the module body). */
export class Env {
  readonly locals: Slot[];
  readonly free: readonly Cell[];
  readonly thread: Thread;
  /** The thread's frame for this call; compiled code writes line/col before fallible operations. */
  readonly pos: Frame;
  /** Value of the executed return statement. */
  ret: Value = null;

  constructor(locals: Slot[], free: readonly Cell[], thread: Thread, pos: Frame) {
    this.locals = locals;
    this.free = free;
    this.thread = thread;
    this.pos = pos;
  }
}

/** A compiled expression. */
export type Ev = (env: Env) => Value;
/** A compiled statement; returns a control signal. */
export type Ex = (env: Env) => Signal;
/** A compiled assignment target. */
export type Store = (env: Env, v: Value) => void;
