/**
 * Reading and writing resolved identifiers: local slots, cells, free
 * variables, module globals, predeclared and universal names.
 */
import type { Expr, Ident } from "../syntax/ast.ts";
import type { Ctx } from "./context.ts";
import type { Cell, Ev, Store } from "./env.ts";
import { failAt } from "./position.ts";
import type { Value } from "./rt.ts";

/** Compiles a read of a resolved identifier. */
export function compileLoad(id: Ident, cx: Ctx): Ev {
  const b = id.binding!;
  const i = b.index, line = id.line, col = id.col;
  const unbound = (kind: string) => `${kind} variable ${b.name} referenced before assignment`;
  switch (b.scope) {
    case "local":
      if (i < cx.numParams) return (env) => env.locals[i] as Value;
      return (env) => {
        const v = env.locals[i];
        return v !== undefined ? (v as Value) : failAt(env, line, col, unbound("local"));
      };
    case "cell":
      return (env) => {
        const v = (env.locals[i] as Cell).v;
        return v !== undefined ? v : failAt(env, line, col, unbound("local"));
      };
    case "free":
      return (env) => {
        const v = env.free[i]!.v;
        return v !== undefined ? v : failAt(env, line, col, unbound("local"));
      };
    case "global": {
      const g = cx.mod.globals;
      return (env) => {
        const v = g[i];
        return v !== undefined ? v : failAt(env, line, col, unbound("global"));
      };
    }
    case "predeclared": case "universal": {
      const table = b.scope === "predeclared" ? cx.predeclared : cx.universe;
      const v = table[b.name];
      if (v === undefined) throw new Error(`internal error: ${b.scope} name ${b.name} has no value`);
      return () => v;
    }
    case "undefined":
      throw new Error(`internal error: compiling unresolved name ${b.name}`);
  }
}

/** Compiles an assignment to a resolved identifier. */
export function compileStoreName(id: Ident, cx: Ctx): Store {
  const b = id.binding!;
  const i = b.index;
  switch (b.scope) {
    case "local":
      return (env, v) => {
        env.locals[i] = v;
      };
    case "cell":
      return (env, v) => {
        (env.locals[i] as Cell).v = v;
      };
    case "global": {
      const g = cx.mod.globals;
      return (_env, v) => {
        g[i] = v;
      };
    }
    default:
      throw new Error(`internal error: cannot assign ${b.scope} ${b.name}`);
  }
}

/** The slot of a plain (non-cell) local variable target, or -1; lets hot stores skip a closure call. */
export function localSlot(e: Expr): number {
  return e.kind === "Ident" && e.binding?.scope === "local" ? e.binding.index : -1;
}
