/**
 * Operands of hot operations. Closures built by one compile function share
 * V8's call-site feedback, so `x(env)` calls inside them go megamorphic
 * once many programs are compiled. Reading locals and constants through
 * `fetch` (a small monomorphic function V8 inlines) instead of through a
 * closure keeps the common shapes — `i < n`, `a + 1`, `total + x` — free of
 * indirect calls.
 */
import type { Expr } from "../syntax/ast.ts";
import type { Ctx } from "./context.ts";
import type { Env, Ev } from "./env.ts";
import { compileExpr } from "./expr.ts";
import { failAt } from "./position.ts";
import type { Value } from "./rt.ts";

const EVAL = 0, LOCAL = 1, CONST = 2;

export interface Operand {
  readonly kind: 0 | 1 | 2;
  /** LOCAL: slot index. */
  readonly index: number;
  /** CONST: the value. */
  readonly value: Value;
  /** EVAL: the compiled expression (also valid for the other kinds). */
  readonly ev: Ev;
  readonly name: string;
  readonly line: number;
  readonly col: number;
}

/** Classifies e: a plain local slot, a constant, or anything else. */
export function operand(e: Expr, cx: Ctx): Operand {
  const ev = compileExpr(e, cx);
  const base = { index: -1, value: null, ev, name: "", line: e.line, col: e.col };
  if (e.kind === "Ident" && e.binding?.scope === "local") {
    return { ...base, kind: LOCAL, index: e.binding.index, name: e.name };
  }
  if (e.kind === "Literal" && (e.type === "int" || e.type === "string")) {
    return { ...base, kind: CONST, value: e.value as Value };
  }
  return { ...base, kind: EVAL };
}

/** Evaluates an operand. */
export function fetch(env: Env, o: Operand): Value {
  if (o.kind === LOCAL) {
    const v = env.locals[o.index];
    return v !== undefined ? (v as Value) : failAt(env, o.line, o.col, `local variable ${o.name} referenced before assignment`);
  }
  if (o.kind === CONST) return o.value;
  return o.ev(env);
}
