/**
 * Compilation of expressions into closures `(env) => Value`.
 */
import type { Expr } from "../syntax/ast.ts";
import { compileCall } from "./call.ts";
import { compileComprehension } from "./comprehension.ts";
import type { Ctx } from "./context.ts";
import type { Env, Ev } from "./env.ts";
import { compileFunctionValue } from "./function.ts";
import { compileLoad } from "./names.ts";
import { operand } from "./operand.ts";
import { compileBinary, compileUnary } from "./operators.ts";
import { at, failAt } from "./position.ts";
import {
  Bytes, Dict, dictSet, Float, getAttr, getIndex, List, repr, slice, truth, Tuple, type Value,
} from "./rt.ts";

/** Compiles an expression. */
export function compileExpr(e: Expr, cx: Ctx): Ev {
  switch (e.kind) {
    case "Ident":
      return compileLoad(e, cx);
    case "Literal": {
      const v: Value = e.type === "float" ? new Float(e.value as number)
        : e.type === "bytes" ? new Bytes(e.value as Uint8Array) : e.value as Value;
      return () => v;
    }
    case "Tuple": {
      const elts = compileList(e.elts, cx);
      return (env) => new Tuple(elts(env));
    }
    case "List": {
      const elts = compileList(e.elts, cx);
      return (env) => new List(elts(env));
    }
    case "Dict":
      return compileDict(e.entries.map((d) => [compileExpr(d.key, cx), compileExpr(d.value, cx), d.key.line, d.key.col] as const));
    case "Unary":
      return compileUnary(e.op, compileExpr(e.x, cx), e.line, e.col);
    case "Binary":
      return compileBinary(e.op, operand(e.x, cx), operand(e.y, cx), e.line, e.col);
    case "Cond": {
      const c = compileExpr(e.cond, cx), t = compileExpr(e.then, cx), f = compileExpr(e.else, cx);
      return (env) => {
        const v = c(env);
        return (typeof v === "boolean" ? v : truth(v)) ? t(env) : f(env);
      };
    }
    case "Index": {
      const x = compileExpr(e.x, cx), i = compileExpr(e.index, cx);
      const line = e.line, col = e.col;
      return (env) => {
        const a = x(env), k = i(env);
        if (a instanceof List && typeof k === "number" && k >= 0 && k < a.elems.length) return a.elems[k]!;
        at(env, line, col);
        return getIndex(a, k);
      };
    }
    case "Slice": {
      const none: Ev = () => null;
      const x = compileExpr(e.x, cx);
      const lo = e.lo === null ? none : compileExpr(e.lo, cx);
      const hi = e.hi === null ? none : compileExpr(e.hi, cx);
      const step = e.step === null ? none : compileExpr(e.step, cx);
      const line = e.line, col = e.col;
      return (env) => {
        const a = x(env), l = lo(env), h = hi(env), s = step(env);
        at(env, line, col);
        return slice(a, l, h, s, env.thread);
      };
    }
    case "Dot": {
      const x = compileExpr(e.x, cx);
      const name = e.name, line = e.line, col = e.col;
      return (env) => {
        const a = x(env);
        at(env, line, col);
        return getAttr(env.thread, a, name);
      };
    }
    case "Call":
      return compileCall(e, cx);
    case "Lambda":
      return compileFunctionValue(e.fn!, cx);
    case "Comprehension":
      return compileComprehension(e, cx);
  }
}

/** Compiles a list of expressions into a closure building a fresh JS array. */
export function compileList(exprs: Expr[], cx: Ctx): (env: Env) => Value[] {
  const evs = exprs.map((x) => compileExpr(x, cx));
  switch (evs.length) {
    case 0:
      return () => [];
    case 1: {
      const [a] = evs as [Ev];
      return (env) => [a(env)];
    }
    case 2: {
      const [a, b] = evs as [Ev, Ev];
      return (env) => [a(env), b(env)];
    }
    case 3: {
      const [a, b, c] = evs as [Ev, Ev, Ev];
      return (env) => [a(env), b(env), c(env)];
    }
    default:
      return (env) => {
        const out = new Array<Value>(evs.length);
        for (let i = 0; i < evs.length; i++) out[i] = evs[i]!(env);
        return out;
      };
  }
}

type CompiledEntry = readonly [Ev, Ev, number, number];

/** A dict literal: keys must be distinct ("duplicate key"), reported at the offending key. */
function compileDict(entries: CompiledEntry[]): Ev {
  return (env) => {
    const d = new Dict();
    for (const [k, v, line, col] of entries) {
      const key = k(env), val = v(env);
      at(env, line, col);
      const size = d.map.size;
      dictSet(env.thread, d, key, val);
      if (d.map.size === size) failAt(env, line, col, `duplicate key: ${repr(key)}`);
    }
    return d;
  };
}
