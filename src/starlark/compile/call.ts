/**
 * Compilation of call expressions. Positional-only calls take fast paths:
 * compiled functions bind the argument array directly as their locals, and
 * `recv.method(...)` avoids allocating a bound method.
 */
import type { Arg, CallExpr } from "../syntax/ast.ts";
import type { Ctx } from "./context.ts";
import type { Env, Ev } from "./env.ts";
import { compileExpr, compileList } from "./expr.ts";
import { StarFunction } from "./function.ts";
import { at, failAt } from "./position.ts";
import { call, callMethod, Dict, iterableElems, typeName, type Kwargs, type Value } from "./rt.ts";

/** Compiles `fn(args...)`. */
export function compileCall(e: CallExpr, cx: Ctx): Ev {
  const line = e.line, col = e.col;
  if (!e.args.every((a) => a.type === "pos")) return compileGeneralCall(e, cx);
  const args = compileList(e.args.map((a) => a.value), cx);
  if (e.fn.kind === "Dot") {
    const recv = compileExpr(e.fn.x, cx), name = e.fn.name;
    return (env) => {
      const r = recv(env), a = args(env);
      at(env, line, col);
      return callMethod(env.thread, r, name, a, null);
    };
  }
  const fn = compileExpr(e.fn, cx);
  return (env) => {
    const f = fn(env), a = args(env);
    at(env, line, col);
    return f instanceof StarFunction ? f.callPositional(env.thread, a) : call(env.thread, f, a, null);
  };
}

type ArgPusher = (env: Env, args: Value[], kw: Kwargs) => void;

/** Calls with keyword, *args or **kwargs arguments. */
function compileGeneralCall(e: CallExpr, cx: Ctx): Ev {
  const line = e.line, col = e.col;
  const fn = compileExpr(e.fn, cx);
  const pushers = e.args.map((a) => compileArg(a, cx));
  return (env) => {
    const f = fn(env);
    const args: Value[] = [];
    const kw: Kwargs = [];
    for (const p of pushers) p(env, args, kw);
    at(env, line, col);
    return call(env.thread, f, args, kw.length === 0 ? null : kw);
  };
}

function compileArg(a: Arg, cx: Ctx): ArgPusher {
  const v = compileExpr(a.value, cx);
  const line = a.line, col = a.col;
  switch (a.type) {
    case "pos":
      return (env, args) => {
        args.push(v(env));
      };
    case "named": {
      const name = a.name!;
      return (env, _args, kw) => {
        kw.push([name, v(env)]);
      };
    }
    case "star":
      return (env, args) => {
        const x = v(env);
        const elems = iterableElems(env.thread, x);
        if (elems === null) failAt(env, line, col, `argument after * must be iterable, not ${typeName(x)}`);
        for (const el of elems) args.push(el);
      };
    case "starstar":
      return (env, _args, kw) => {
        const x = v(env);
        if (!(x instanceof Dict)) failAt(env, line, col, `argument after ** must be a mapping, not ${typeName(x)}`);
        for (const { k, v: val } of x.map.values()) {
          if (typeof k !== "string") failAt(env, line, col, `keywords must be strings, not ${typeName(k)}`);
          kw.push([k, val]);
        }
      };
  }
}
