/**
 * Position bookkeeping and error raising for compiled code. Compiled
 * closures write the source position into the current frame just before a
 * fallible operation, so an error (and every caller's frame) carries
 * file:line:col without any per-operation allocation.
 */
import type { Env } from "./env.ts";
import { StarlarkError } from "./rt.ts";

/** Records the position of the operation about to run. */
export function at(env: Env, line: number, col: number): void {
  const p = env.pos;
  p.line = line;
  p.col = col;
}

/** Fails at the given position. */
export function failAt(env: Env, line: number, col: number, msg: string): never {
  at(env, line, col);
  throw new StarlarkError(msg);
}
