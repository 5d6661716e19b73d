/**
 * Call expressions. Fast paths:
 * - a call through a global bound only by one `def` is planned at compile
 *   time (positional and keyword arguments, defaults) and, when the value
 *   is that def's function, calls its generated entry directly — a
 *   monomorphic JS call V8 can inline;
 * - other positional calls of compiled functions go through `code.direct`
 *   without building an argument array when the arity matches;
 * - `recv.m(...)` calls builtin methods without a bound method, and
 *   `list.append(x)` is inline.
 * Everything else builds the argument arrays and calls `callAny`.
 */
import type { Arg, CallExpr, Expr } from "../syntax/ast.ts";
import { writesPos, type FnGen } from "./codegen.ts";
import { posText } from "./constants.ts";
import { bind, bindAll, emitExpr } from "./emit-expr.ts";
import { functionCode } from "./emit-func.ts";
import { STEP_EXPR } from "./emit-loop.ts";
import { KeywordSite, MAX_DIRECT_PARAMS, planCall } from "./function.ts";
import { Builtin, methodCaller, methodsNamed, universe } from "./rt.ts";

/** Calls with more arguments than this take the general path (bounded emitter recursion and code size). */
const MAX_INLINE_ARGS = 32;

/** Emits `fn(args...)`. */
export function emitCall(g: FnGen, e: CallExpr): string {
  const pos = g.pos(e.line, e.col);
  const star = e.args.some((a) => a.type === "star" || a.type === "starstar");
  if (star) return emitGeneralCall(g, e, pos);
  if (e.fn.kind === "Dot") return emitMethodCall(g, e, e.fn.x, e.fn.name, pos);
  const npos = e.args.filter((a) => a.type === "pos").length;
  const names = e.args.slice(npos).map((a) => a.name!);
  const builtin = builtinCallee(g, e.fn);
  if (builtin !== null) return emitBuiltinCall(g, e, builtin, npos, names, pos);
  const few = e.args.length <= MAX_INLINE_ARGS;
  const argv = (vals: string[]) => `[${vals.slice(0, npos).join(", ")}]`;
  const kwv = (vals: string[]) => (names.length === 0 ? "null"
    : `[${names.map((n, j) => `[${g.k(n)}, ${vals[npos + j]}]`).join(", ")}]`);
  const target = few ? knownTarget(g, e.fn) : null;
  const plan = target === null || target.code.numParamSlots > MAX_DIRECT_PARAMS ? null : planCall(target.code, npos, names);
  if (target !== null && plan !== null) {
    return bind(g, emitExpr(g, e.fn), (f) => bindAll(g, e.args.map((a) => a.value), (vals) => {
      const params = plan.map((j, i) => (j >= 0 ? vals[j] : `${f}.defaults[${i}]`));
      return `(${pos}, ${f} instanceof StarFunction && ${f}.code === ${target.ref}`
        + ` ? F${target.id}(${["th", f, ...params].join(", ")}) : callAny(th, ${f}, ${argv(vals)}, ${kwv(vals)}))`;
    }));
  }
  if (few && names.length === 0 && mayBeCompiled(e.fn)) {
    return bind(g, emitExpr(g, e.fn), (f) => bindAll(g, e.args.map((a) => a.value), (vals) =>
      `(${pos}, ${f} instanceof StarFunction && ${f}.code.arity === ${npos}`
      + ` ? ${f}.code.direct(${["th", f, ...vals].join(", ")}) : callAny(th, ${f}, ${argv(vals)}, ${kwv(vals)}))`));
  }
  if (few && names.length > 0) {
    // Keywords to an unknown callee: the site remembers how the last function it called binds them.
    const site = g.k(new KeywordSite(npos, names));
    return bind(g, emitExpr(g, e.fn), (f) => argArrays(g, e.args, e.args.length, [], (a) => `(${pos}, ${site}.call(th, ${f}, ${a}))`));
  }
  return bind(g, emitExpr(g, e.fn), (f) => argArrays(g, e.args, npos, names, (a, kw) => `(${pos}, callAny(th, ${f}, ${a}, ${kw}))`));
}

/**
 * The positional argument array and keyword list (or `null`) for `f`,
 * evaluated in order. When an argument writes the frame position (a nested
 * call), both are built into temporaries before `f`'s own position write.
 */
function argArrays(g: FnGen, args: readonly Arg[], npos: number, names: readonly string[], f: (argv: string, kwv: string) => string): string {
  return g.withTemp((ta) => g.withTemp((tk) => {
    const codes = args.map((a) => emitExpr(g, a.value));
    const argv = `[${codes.slice(0, npos).join(", ")}]`;
    const kwv = names.length === 0 ? "null" : `[${names.map((n, j) => `[${g.k(n)}, ${codes[npos + j]}]`).join(", ")}]`;
    if (!codes.some(writesPos)) return f(argv, kwv);
    return `(${ta} = ${argv}, ${tk} = ${kwv}, ${f(ta, tk)})`;
  }));
}

/** The Builtin a predeclared or universal callee name is bound to (fixed at compile time), or null. */
function builtinCallee(g: FnGen, fn: Expr): Builtin | null {
  if (fn.kind !== "Ident" || (fn.binding?.scope !== "universal" && fn.binding?.scope !== "predeclared")) return null;
  const table = fn.binding.scope === "universal" ? g.m.universe : g.m.predeclared;
  const v = Object.hasOwn(table, fn.name) ? table[fn.name] : undefined;
  return v instanceof Builtin ? v : null;
}

/**
 * A call of a builtin known at compile time: charges the step and calls
 * it directly (what `call()` does after its callable check); `len` of a
 * string, list or tuple and `str` of a string or int are inline.
 */
function emitBuiltinCall(g: FnGen, e: CallExpr, b: Builtin, npos: number, names: readonly string[], pos: string): string {
  // The implementation itself (a constant): a direct, monomorphic call rather than Builtin.call's shared one.
  const plain = b.recv === undefined && b.call === Builtin.prototype.call; // not a subclass with its own call()
  const k = plain ? g.k(b.fn) : `${g.k(b)}.call`;
  if (b === universe.str && npos === 1 && names.length === 0 && g.hot) {
    // Concatenation with "" gives an int's decimal form, as str() does.
    return bind(g, emitExpr(g, e.args[0]!.value), (a) =>
      `(${pos}, ${STEP_EXPR}, typeof ${a} === 'string' ? ${a} : typeof ${a} === 'number' ? ${g.k("")} + ${a}`
      + ` : ${k}(th, [${a}], null))`);
  }
  if (b === universe.len && npos === 1 && names.length === 0 && g.hot) {
    return bind(g, emitExpr(g, e.args[0]!.value), (a) =>
      `(${pos}, ${STEP_EXPR}, typeof ${a} === 'string' ? ${a}.length : ${a} instanceof List || ${a} instanceof Tuple`
      + ` ? ${a}.elems.length : ${k}(th, [${a}], null))`);
  }
  return argArrays(g, e.args, npos, names, (a, kw) => `(${pos}, ${STEP_EXPR}, ${k}(th, ${a}, ${kw}))`);
}

/** Whether a callee may be a compiled function (a predeclared or universal name is usually a builtin). */
function mayBeCompiled(e: Expr): boolean {
  const s = e.kind === "Ident" ? e.binding?.scope : undefined;
  return s !== "predeclared" && s !== "universal";
}

/** The def a callee name is bound to, if it is a global bound only by that def. */
function knownTarget(g: FnGen, fn: Expr): { code: ReturnType<typeof functionCode>["code"]; id: number; ref: string } | null {
  if (fn.kind !== "Ident" || fn.binding?.scope !== "global") return null;
  const info = g.m.globalDefs.get(fn.binding.index);
  if (info === undefined) return null;
  const { code, id } = functionCode(g.m, info);
  return { code, id, ref: g.k(code) };
}

/** String methods testing a prefix or suffix, with the JS method doing the same for one string argument. */
const AFFIX_METHODS: ReadonlyMap<string, string> = new Map([["startswith", "startsWith"], ["endswith", "endsWith"]]);

/** `recv.name(args...)`. */
function emitMethodCall(g: FnGen, e: CallExpr, recv: Expr, name: string, pos: string): string {
  const npos = e.args.filter((a) => a.type === "pos").length;
  const names = e.args.slice(npos).map((a) => a.name!);
  if (name === "append" && npos === 1 && names.length === 0 && g.hot) {
    const m = g.k(methodCaller(name));
    return bind(g, emitExpr(g, recv), (r) => bind(g, emitExpr(g, e.args[0]!.value), (v) =>
      `(${r} instanceof List && ${r}.frozen === false && ${r}.itercount === 0 && ${r}.elems.length < th.limits.maxListLength`
      + ` ? (${STEP_EXPR}, ${r}.elems.push(${v}), null) : (${pos}, ${m}(th, ${r}, [${v}], null)))`));
  }
  const affix = AFFIX_METHODS.get(name);
  if (affix !== undefined && npos === 1 && names.length === 0 && g.hot) {
    // s.startswith("x") on strings: no argument array, no method dispatch.
    const m = g.k(methodCaller(name));
    return bind(g, emitExpr(g, recv), (r) => bind(g, emitExpr(g, e.args[0]!.value), (v) =>
      `(typeof ${r} === 'string' && typeof ${v} === 'string' ? (${STEP_EXPR}, ${r}.${affix}(${v}))`
      + ` : (${pos}, ${m}(th, ${r}, [${v}], null)))`));
  }
  const m = g.k(methodCaller(name));
  if (!g.hot || e.args.length > MAX_INLINE_ARGS) {
    return bind(g, emitExpr(g, recv), (r) => argArrays(g, e.args, npos, names, (a, kw) => `(${pos}, ${m}(th, ${r}, ${a}, ${kw}))`));
  }
  // The string, dict and list implementations of `name` are called directly after a type test: each
  // call site is then monomorphic (V8 can inline `d.get`), where the shared caller's call is megamorphic.
  const impls = methodsNamed(name);
  const direct: Array<[(x: string) => string, string]> = [];
  if (impls.string !== undefined) direct.push([(x) => `typeof ${x} === 'string'`, g.k(impls.string)]);
  if (impls.dict !== undefined) direct.push([(x) => `${x} instanceof Dict`, g.k(impls.dict)]);
  if (impls.list !== undefined) direct.push([(x) => `${x} instanceof List`, g.k(impls.list)]);
  return bind(g, emitExpr(g, recv), (r) => bindAll(g, e.args.map((a) => a.value), (vals) => {
    const a = `[${vals.slice(0, npos).join(", ")}]`;
    const kw = names.length === 0 ? "null" : `[${names.map((n, j) => `[${g.k(n)}, ${vals[npos + j]}]`).join(", ")}]`;
    let call = `${m}(th, ${r}, ${a}, ${kw})`;
    for (const [test, fn] of direct.reverse()) call = `${test(r)} ? (${STEP_EXPR}, ${fn}(th, ${a}, ${kw}, ${r})) : ${call}`;
    return `(${pos}, ${call})`;
  }));
}

/** Calls with *args or **kwargs: arguments are collected into arrays, in order. */
function emitGeneralCall(g: FnGen, e: CallExpr, pos: string): string {
  return bind(g, emitExpr(g, e.fn), (f) => g.withTemp((args) => g.withTemp((kw) => {
    const steps = e.args.map((a) => {
      const v = emitExpr(g, a.value);
      const at = `${posText(a.line)}, ${posText(a.col)}`;
      switch (a.type) {
        case "pos": return `${args}.push(${v})`;
        case "named": return `${kw}.push([${g.k(a.name)}, ${v}])`;
        case "star": return `starArgs(th, fr, ${args}, ${v}, ${at})`;
        case "starstar": return `starStarArgs(fr, ${kw}, ${v}, ${at})`;
      }
    });
    return `(${[`${args} = []`, `${kw} = []`, ...steps].join(", ")}, ${pos}, callAny(th, ${f}, ${args}, ${kw}.length === 0 ? null : ${kw}))`;
  })));
}
