/**
 * Compilation of list and dict comprehensions: each clause becomes a
 * closure that drives the next, ending in one that appends to the result.
 */
import type { Comprehension, DictEntry, Expr } from "../syntax/ast.ts";
import { compileStore } from "./assign.ts";
import type { Ctx } from "./context.ts";
import type { Env, Ev } from "./env.ts";
import { compileExpr } from "./expr.ts";
import { localSlot } from "./names.ts";
import { at } from "./position.ts";
import { Dict, dictSet, iterate, List, Range, truth, type Value } from "./rt.ts";

/** Accumulator: a JS array (list comprehension) or a Dict. */
type Acc = Value[] | Dict;
type Step = (env: Env, acc: Acc) => void;

/** Compiles `[body for ... if ...]` or `{k: v for ...}`. */
export function compileComprehension(e: Comprehension, cx: Ctx): Ev {
  let step = e.dict ? compileDictBody(e.body as DictEntry, cx) : compileListBody(e.body as Expr, cx);
  for (let i = e.clauses.length - 1; i >= 0; i--) {
    const c = e.clauses[i]!;
    const inner = step;
    if (c.kind === "if") {
      const cond = compileExpr(c.cond, cx);
      step = (env, acc) => {
        const v = cond(env);
        if (typeof v === "boolean" ? v : truth(v)) inner(env, acc);
      };
    } else {
      const iter = compileExpr(c.iter, cx), store = compileStore(c.vars, cx);
      const line = c.line, col = c.col, slot = localSlot(c.vars);
      step = (env, acc) => {
        const x = iter(env);
        const thread = env.thread;
        if (x instanceof Range) {
          for (let k = 0; k < x.len; k++) {
            thread.step();
            if (slot >= 0) env.locals[slot] = x.start + x.step * k;
            else store(env, x.start + x.step * k);
            inner(env, acc);
          }
          return;
        }
        at(env, line, col);
        const it = iterate(thread, x);
        try {
          for (let v = it.next(); v !== undefined; v = it.next()) {
            thread.step();
            if (slot >= 0) env.locals[slot] = v;
            else store(env, v);
            inner(env, acc);
          }
        } finally {
          it.done();
        }
      };
    }
  }
  const run = step;
  if (e.dict) {
    return (env) => {
      const d = new Dict();
      run(env, d);
      return d;
    };
  }
  return (env) => {
    const out: Value[] = [];
    run(env, out);
    return new List(out);
  };
}

function compileListBody(body: Expr, cx: Ctx): Step {
  const ev = compileExpr(body, cx);
  return (env, acc) => {
    const v = ev(env);
    const out = acc as Value[];
    if (out.length >= env.thread.limits.maxListLength) env.thread.checkList(out.length + 1);
    out.push(v);
  };
}

function compileDictBody(body: DictEntry, cx: Ctx): Step {
  const k = compileExpr(body.key, cx), v = compileExpr(body.value, cx);
  const line = body.key.line, col = body.key.col;
  return (env, acc) => {
    const key = k(env), val = v(env);
    at(env, line, col);
    dictSet(env.thread, acc as Dict, key, val);
  };
}
