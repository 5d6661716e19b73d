/**
 * Compilation of assignment targets: names, x[i], x.f, and (nested)
 * tuple/list unpacking.
 */
import type { Expr } from "../syntax/ast.ts";
import type { Ctx } from "./context.ts";
import type { Env, Store } from "./env.ts";
import { compileExpr } from "./expr.ts";
import { compileStoreName } from "./names.ts";
import { at, failAt } from "./position.ts";
import { iterableElems, List, setField, setIndex, Tuple, typeName, type Value } from "./rt.ts";

/** Compiles an assignment target into `(env, value) => void`. */
export function compileStore(lhs: Expr, cx: Ctx): Store {
  const line = lhs.line, col = lhs.col;
  switch (lhs.kind) {
    case "Ident":
      return compileStoreName(lhs, cx);
    case "Index": {
      const x = compileExpr(lhs.x, cx), i = compileExpr(lhs.index, cx);
      return (env, v) => {
        const o = x(env), k = i(env);
        at(env, line, col);
        setIndex(env.thread, o, k, v);
      };
    }
    case "Dot": {
      const x = compileExpr(lhs.x, cx), name = lhs.name;
      return (env, v) => {
        const o = x(env);
        at(env, line, col);
        setField(o, name, v);
      };
    }
    case "Tuple": case "List": {
      const stores = lhs.elts.map((t) => compileStore(t, cx));
      return (env, v) => {
        const elems = unpack(env, v, stores.length, line, col);
        for (let i = 0; i < stores.length; i++) stores[i]!(env, elems[i]!);
      };
    }
    default:
      throw new Error(`internal error: cannot assign to ${lhs.kind}`);
  }
}

/** The n elements of an iterable being unpacked, or a "too many/few values" error. */
export function unpack(env: Env, v: Value, n: number, line: number, col: number): Value[] {
  let elems: Value[] | null;
  if (v instanceof Tuple) elems = v.elems;
  else if (v instanceof List) elems = v.elems.slice(); // the stores may mutate the list
  else elems = iterableElems(env.thread, v);
  if (elems === null) return failAt(env, line, col, `got ${typeName(v)} in sequence assignment`);
  if (elems.length > n) failAt(env, line, col, `too many values to unpack (got ${elems.length}, want ${n})`);
  if (elems.length < n) failAt(env, line, col, `too few values to unpack (got ${elems.length}, want ${n})`);
  return elems;
}
