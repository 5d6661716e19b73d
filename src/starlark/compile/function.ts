/**
 * Compiled Starlark functions (def and lambda): the shared code object, the
 * callable value, and argument binding following the spec (and
 * starlark-go's messages).
 */
import type { FunctionInfo } from "../syntax/ast.ts";
import type { Ctx } from "./context.ts";
import { Cell, Env, RETURN, type Ev, type Ex, type ModuleCtx, type Slot } from "./env.ts";
import { compileExpr } from "./expr.ts";
import { compileBlock } from "./stmt.ts";
import { Dict, dictSet, freeze, quote, StarlarkError, Tuple, type Callable, type Kwargs, type Thread, type Value } from "./rt.ts";

/** What every closure of one def/lambda shares. */
export interface FuncCode {
  readonly name: string;
  readonly mod: ModuleCtx;
  body: Ex;
  readonly numLocals: number;
  /** Ordinary parameters (positional then keyword-only); their slots come first. */
  readonly paramNames: readonly string[];
  readonly numKwonly: number;
  readonly hasVarargs: boolean;
  readonly hasKwargs: boolean;
  /** Some non-keyword-only parameter has a default ("accepts at most N"). */
  readonly hasOptionalPositional: boolean;
  readonly cells: readonly number[];
  /** Only positional parameters, no defaults needed when all are supplied. */
  readonly simple: boolean;
  /** Calls of this code currently on the stack (recursion check). */
  active: number;
  /** numLocals unbound slots; `slice()` of it is the cheapest way to get a fresh, packed locals array. */
  readonly unbound: readonly Slot[];
}

function fail(msg: string): never {
  throw new StarlarkError(msg);
}

/** A def or lambda value. */
export class StarFunction implements Callable {
  readonly name: string;
  readonly code: FuncCode;
  /** Default per ordinary parameter; undefined = mandatory. */
  readonly defaults: ReadonlyArray<Value | undefined>;
  readonly free: readonly Cell[];

  constructor(code: FuncCode, defaults: ReadonlyArray<Value | undefined>, free: readonly Cell[]) {
    this.name = code.name;
    this.code = code;
    this.defaults = defaults;
    this.free = free;
  }

  /** Positional-only call from compiled code: binds args without building kwargs. */
  callPositional(thread: Thread, args: Value[]): Value {
    const code = this.code;
    if (!code.simple || args.length !== code.paramNames.length) return this.call(thread, args, null);
    const locals: Slot[] = args;
    for (let i = args.length; i < code.numLocals; i++) locals.push(undefined);
    return this.invoke(thread, locals);
  }

  call(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
    const locals = this.code.unbound.slice();
    this.bindArgs(thread, locals, args, kwargs);
    return this.invoke(thread, locals);
  }

  private invoke(thread: Thread, locals: Slot[]): Value {
    const code = this.code;
    thread.step();
    if (code.active > 0 && !thread.options.allowRecursion) fail(`function ${this.name} called recursively`);
    const frame = thread.pushFrame(this.name, code.mod.filename);
    for (const c of code.cells) {
      const cell = new Cell();
      cell.v = locals[c] as Value | undefined;
      locals[c] = cell;
    }
    const env = new Env(locals, this.free, thread, frame);
    code.active++;
    let signal;
    try {
      signal = code.body(env);
    } finally {
      code.active--;
    }
    thread.popFrame();
    return signal === RETURN ? env.ret : null;
  }

  /** Binds arguments to parameter slots (spec "Function calls"). */
  private bindArgs(thread: Thread, locals: Slot[], args: Value[], kwargs: Kwargs | null): void {
    const code = this.code, name = this.name;
    const names = code.paramNames;
    const nparams = names.length;
    const nkw = kwargs === null ? 0 : kwargs.length;
    if (nparams === 0 && !code.hasVarargs && !code.hasKwargs) {
      if (args.length + nkw > 0) fail(`function ${name} accepts no arguments (${args.length + nkw} given)`);
      return;
    }
    let kwdict: Dict | null = null;
    if (code.hasKwargs) {
      kwdict = new Dict();
      locals[nparams + (code.hasVarargs ? 1 : 0)] = kwdict;
    }
    const positional = nparams - code.numKwonly;
    let n = args.length;
    if (n > positional) {
      if (!code.hasVarargs) {
        const most = code.hasOptionalPositional ? "at most " : "";
        fail(`function ${name} accepts ${most}${positional} positional argument${positional === 1 ? "" : "s"} (${n} given)`);
      }
      n = positional;
    }
    for (let i = 0; i < n; i++) locals[i] = args[i];
    if (code.hasVarargs) locals[nparams] = new Tuple(args.slice(n));
    if (kwargs !== null) {
      for (const [k, v] of kwargs) {
        const i = names.indexOf(k);
        if (i >= 0) {
          if (locals[i] !== undefined) fail(`function ${name} got multiple values for parameter ${quote(k)}`);
          locals[i] = v;
        } else if (kwdict === null) {
          fail(`function ${name} got an unexpected keyword argument ${quote(k)}`);
        } else {
          const size = kwdict.map.size;
          dictSet(thread, kwdict, k, v);
          if (kwdict.map.size === size) fail(`function ${name} got multiple values for parameter ${quote(k)}`);
        }
      }
    }
    this.fillDefaults(locals, n);
  }

  /** Binds defaults to the unset parameters from index `from` on; fails if a mandatory one is unset. */
  private fillDefaults(locals: Slot[], from: number): void {
    const names = this.code.paramNames;
    let missing: string[] | null = null;
    for (let i = from; i < names.length; i++) {
      if (locals[i] !== undefined) continue;
      const d = this.defaults[i];
      if (d === undefined) (missing ??= []).push(names[i]!);
      else locals[i] = d;
    }
    if (missing !== null) {
      const n = missing.length;
      fail(`function ${this.name} missing ${n} argument${n > 1 ? "s" : ""} (${missing.join(", ")})`);
    }
  }

  /**
   * Call with locals already bound by a call site that planned the argument
   * to slot mapping for this code (see planKeywordCall): only defaults remain.
   */
  callPlanned(thread: Thread, locals: Slot[], npos: number): Value {
    this.fillDefaults(locals, npos);
    return this.invoke(thread, locals);
  }

  /** Freezes default values and captured variables (module globals are frozen after init). */
  freeze(): void {
    for (const d of this.defaults) if (d !== undefined) freeze(d);
    for (const c of this.free) if (c.v !== undefined) freeze(c.v);
  }
}

/**
 * Compiles a def/lambda into a closure that, each time it runs, evaluates
 * the defaults and captures the free variables, producing a StarFunction.
 */
export function compileFunctionValue(info: FunctionInfo, cx: Ctx): Ev {
  const ordinary = info.params.filter((p) => p.type === "required" || p.type === "optional");
  const positional = ordinary.length - info.numKwonly;
  const code: FuncCode = {
    name: info.name,
    mod: cx.mod,
    body: () => 0,
    numLocals: info.numLocals,
    paramNames: ordinary.map((p) => p.name!.name),
    numKwonly: info.numKwonly,
    hasVarargs: info.hasVarargs,
    hasKwargs: info.hasKwargs,
    hasOptionalPositional: ordinary.slice(0, positional).some((p) => p.type === "optional"),
    cells: info.cells,
    simple: !info.hasVarargs && !info.hasKwargs && info.numKwonly === 0,
    active: 0,
    unbound: new Array<Slot>(info.numLocals).fill(undefined),
  };
  const numParams = ordinary.length + (info.hasVarargs ? 1 : 0) + (info.hasKwargs ? 1 : 0);
  code.body = compileBlock(info.body, { ...cx, numParams });
  const dflts = ordinary.map((p) => (p.dflt === null ? null : compileExpr(p.dflt, cx)));
  const captures = info.freevars.map((b) => ({ cell: b.scope === "cell", index: b.index }));
  const noDefaults = dflts.every((d) => d === null);
  const none: Array<Value | undefined> = new Array<Value | undefined>(ordinary.length).fill(undefined);
  return (env) => {
    const defaults = noDefaults ? none : dflts.map((d) => (d === null ? undefined : d(env)));
    const free = captures.map((c) => (c.cell ? (env.locals[c.index] as Cell) : env.free[c.index]!));
    return new StarFunction(code, defaults, free);
  };
}

/**
 * For a call site passing `npos` positional arguments then the keyword
 * arguments `names`, the parameter slot of each keyword argument — or null
 * when the call needs the general binder (*args/**kwargs parameters, too many
 * positional arguments, unknown or repeated names: cases that also produce
 * its error messages).
 */
export function planKeywordCall(code: FuncCode, npos: number, names: readonly string[]): number[] | null {
  if (code.hasVarargs || code.hasKwargs || npos > code.paramNames.length - code.numKwonly) return null;
  const slots: number[] = [];
  for (const n of names) {
    const i = code.paramNames.indexOf(n);
    if (i < npos) return null;
    slots.push(i);
  }
  return slots;
}
