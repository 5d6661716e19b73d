/**
 * Compile-time context: what a closure needs to know about where it is
 * compiled (module, predeclared values, the enclosing function's shape).
 */
import type { ModuleCtx } from "./env.ts";
import type { Value } from "./rt.ts";

export interface Ctx {
  readonly mod: ModuleCtx;
  /** Embedder-supplied names, resolved at compile time. */
  readonly predeclared: Readonly<Record<string, Value>>;
  /** Builtins (the universe), resolved at compile time. */
  readonly universe: Readonly<Record<string, Value>>;
  /** Parameter slots of the function being compiled: always bound, so reads skip the check. */
  readonly numParams: number;
}
