/**
 * Compilation of call expressions. Fast paths: positional calls of compiled
 * functions bind the argument array as the callee's locals; keyword calls
 * of compiled functions bind through a per-call-site plan; and
 * `recv.method(...)` avoids allocating a bound method.
 */
import type { Arg, CallExpr } from "../syntax/ast.ts";
import type { Ctx } from "./context.ts";
import type { Env, Ev } from "./env.ts";
import { compileExpr, compileList } from "./expr.ts";
import { planKeywordCall, StarFunction, type FuncCode } from "./function.ts";
import { at, failAt } from "./position.ts";
import { call, callMethod, Dict, iterableElems, typeName, type Kwargs, type Value } from "./rt.ts";

/** Compiles `fn(args...)`. */
export function compileCall(e: CallExpr, cx: Ctx): Ev {
  const line = e.line, col = e.col;
  if (e.args.some((a) => a.type !== "pos")) return compileArgCall(e, cx);
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

/** Appends one evaluated argument to the positional list or the keyword list. */
type ArgPusher = (env: Env, args: Value[], kw: Kwargs) => void;

/**
 * Calls with keyword, *args or **kwargs arguments. Without *args/**kwargs,
 * calls of compiled functions bind straight into the callee's locals: the
 * call site caches the argument-to-slot plan of the last code it called.
 */
function compileArgCall(e: CallExpr, cx: Ctx): Ev {
  const line = e.line, col = e.col;
  const fn = compileExpr(e.fn, cx);
  const evs = e.args.map((a) => compileExpr(a.value, cx));
  const pushers = e.args.map((a, i) => argPusher(a, evs[i]!));
  const general = (env: Env, f: Value): Value => {
    const args: Value[] = [];
    const kw: Kwargs = [];
    for (const p of pushers) p(env, args, kw);
    at(env, line, col);
    return call(env.thread, f, args, kw.length === 0 ? null : kw);
  };
  if (e.args.some((a) => a.type === "star" || a.type === "starstar")) return (env) => general(env, fn(env));

  // Positional arguments precede keyword ones (the resolver checks), so evs is [pos..., named...].
  const npos = e.args.filter((a) => a.type === "pos").length;
  const names = e.args.slice(npos).map((a) => a.name!);
  let planned: FuncCode | null = null;
  let slots: number[] | null = null;
  return (env) => {
    const f = fn(env);
    if (!(f instanceof StarFunction)) return general(env, f);
    if (f.code !== planned) {
      planned = f.code;
      slots = planKeywordCall(f.code, npos, names);
    }
    if (slots === null) return general(env, f);
    const locals = f.code.unbound.slice();
    for (let i = 0; i < npos; i++) locals[i] = evs[i]!(env);
    for (let j = 0; j < slots.length; j++) locals[slots[j]!] = evs[npos + j]!(env);
    at(env, line, col);
    return f.callPlanned(env.thread, locals, npos);
  };
}

function argPusher(a: Arg, v: Ev): ArgPusher {
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
