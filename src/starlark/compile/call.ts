/**
 * Compilation of call expressions. Positional-only calls take fast paths:
 * compiled functions bind the argument array directly as their locals, and
 * `recv.method(...)` avoids allocating a bound method.
 */
import type { Arg, CallExpr } from "../syntax/ast.ts";
import type { Ctx } from "./context.ts";
import type { Env, Ev, Slot } from "./env.ts";
import { compileExpr, compileList } from "./expr.ts";
import { planKeywordCall, StarFunction, type FuncCode } from "./function.ts";
import { at, failAt } from "./position.ts";
import { call, callMethod, Dict, iterableElems, typeName, type Kwargs, type Value } from "./rt.ts";

/** Compiles `fn(args...)`. */
export function compileCall(e: CallExpr, cx: Ctx): Ev {
  const line = e.line, col = e.col;
  if (e.args.some((a) => a.type === "star" || a.type === "starstar")) return compileGeneralCall(e, cx);
  if (e.args.some((a) => a.type === "named")) return compileKeywordCall(e, cx);
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

/**
 * Calls with keyword arguments (and no *args/**kwargs) of compiled
 * functions bind straight into the callee's locals: each call site caches
 * the argument-to-slot plan for the last code object it called.
 */
function compileKeywordCall(e: CallExpr, cx: Ctx): Ev {
  const general = compileGeneralCall(e, cx);
  const fn = compileExpr(e.fn, cx);
  const pos = e.args.filter((a) => a.type === "pos").map((a) => compileExpr(a.value, cx));
  const named = e.args.filter((a) => a.type === "named");
  const names = named.map((a) => a.name!);
  const values = named.map((a) => compileExpr(a.value, cx));
  const line = e.line, col = e.col;
  let planned: FuncCode | null = null;
  let slots: number[] | null = null;
  return (env) => {
    const f = fn(env);
    if (!(f instanceof StarFunction)) return general(env, f);
    if (f.code !== planned) {
      planned = f.code;
      slots = planKeywordCall(f.code, pos.length, names);
    }
    if (slots === null) return general(env, f);
    const locals = new Array<Slot>(f.code.numLocals).fill(undefined);
    for (let i = 0; i < pos.length; i++) locals[i] = pos[i]!(env);
    for (let j = 0; j < values.length; j++) locals[slots[j]!] = values[j]!(env);
    at(env, line, col);
    return f.callPlanned(env.thread, locals, pos.length);
  };
}

/** Calls with keyword, *args or **kwargs arguments; `callee` when already evaluated. */
function compileGeneralCall(e: CallExpr, cx: Ctx): (env: Env, callee?: Value) => Value {
  const line = e.line, col = e.col;
  const fn = compileExpr(e.fn, cx);
  const pushers = e.args.map((a) => compileArg(a, cx));
  return (env, callee) => {
    const f = callee === undefined ? fn(env) : callee;
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
