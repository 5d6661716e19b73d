/**
 * Compiled Starlark functions (def and lambda): the code object shared by
 * every function value of one def, the callable value, and argument
 * binding for calls that the call site could not plan (spec "Function
 * calls", with starlark-go's messages).
 */
import { Cell } from "./cell.ts";
import { call, Dict, dictSet, freeze, quote, StarlarkError, Tuple, type Callable, type Kwargs, type Thread, type Value } from "./rt.ts";

/**
 * Functions with more parameter slots than this take them as an array in
 * both entries (JS caps a function's parameters; call sites pass arrays then).
 */
export const MAX_DIRECT_PARAMS = 32;

/** Generated entry taking every parameter slot as a JS argument (see emit-func.ts). */
export type DirectEntry = (thread: Thread, fn: StarFunction, ...params: Value[]) => Value;
/** Generated entry taking the parameter slots as an array. */
export type ArrayEntry = (thread: Thread, fn: StarFunction, params: Value[]) => Value;

/** What every function value of one def/lambda shares. */
export interface FuncCode {
  readonly name: string;
  readonly file: string;
  /** Ordinary parameters (positional then keyword-only); their slots come first. */
  readonly paramNames: readonly string[];
  /** Which ordinary parameters have a default. */
  readonly hasDefault: readonly boolean[];
  readonly numKwonly: number;
  readonly hasVarargs: boolean;
  readonly hasKwargs: boolean;
  /** Some non-keyword-only parameter has a default ("accepts at most N"). */
  readonly hasOptionalPositional: boolean;
  /** Number of parameter slots (ordinary, then *args, then **kwargs). */
  readonly numParamSlots: number;
  /** numParamSlots when a positional call of exactly that many arguments binds directly (`direct`), else -1. */
  readonly arity: number;
  /** Calls of this code currently on the stack (recursion check). */
  active: number;
  /** Set once the program's generated JS is instantiated. */
  direct: DirectEntry;
  entry: ArrayEntry;
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
  /** Captured variables, in the callee's freevar order. */
  readonly free: readonly Cell[];

  constructor(code: FuncCode, defaults: ReadonlyArray<Value | undefined>, free: readonly Cell[]) {
    this.name = code.name;
    this.code = code;
    this.defaults = defaults;
    this.free = free;
  }

  call(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
    const code = this.code;
    if (kwargs === null && args.length === code.arity) return code.entry(thread, this, args);
    const slots = new Array<Value>(code.numParamSlots);
    this.bindArgs(thread, slots as Array<Value | undefined>, args, kwargs);
    return code.entry(thread, this, slots);
  }

  /** A call with one positional argument (callers of key functions): no argument array when the arity is 1. */
  call1(thread: Thread, x: Value): Value {
    const code = this.code;
    return code.arity === 1 ? code.direct(thread, this, x) : this.call(thread, [x], null);
  }

  /** Binds arguments to parameter slots (spec "Function calls"). */
  private bindArgs(thread: Thread, locals: Array<Value | undefined>, args: Value[], kwargs: Kwargs | null): void {
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
          const size = kwdict.size;
          dictSet(thread, kwdict, k, v);
          if (kwdict.size === size) fail(`function ${name} got multiple values for parameter ${quote(k)}`);
        }
      }
    }
    this.fillDefaults(locals, n);
  }

  /** Binds defaults to the unset parameters from index `from` on; fails if a mandatory one is unset. */
  private fillDefaults(locals: Array<Value | undefined>, from: number): void {
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

  /** Freezes default values and captured variables (module globals are frozen after init). */
  freeze(): void {
    for (const d of this.defaults) if (d !== undefined) freeze(d);
    for (const c of this.free) if (c.v !== undefined) freeze(c.v);
  }
}

/**
 * For a call of `code` passing `npos` positional arguments then the keyword
 * arguments `names`: the argument index feeding each parameter slot, or -1
 * where the parameter's default applies — or null when the call needs the
 * general binder (*args/**kwargs parameters, too many positional arguments,
 * unknown, repeated or missing names: the cases that produce its errors).
 */
export function planCall(code: FuncCode, npos: number, names: readonly string[]): number[] | null {
  if (code.hasVarargs || code.hasKwargs || npos > code.paramNames.length - code.numKwonly) return null;
  const plan = code.paramNames.map((_, i) => (i < npos ? i : -1));
  for (let j = 0; j < names.length; j++) {
    const i = code.paramNames.indexOf(names[j]!);
    if (i < 0 || plan[i] !== -1) return null;
    plan[i] = npos + j;
  }
  for (let i = 0; i < plan.length; i++) if (plan[i] === -1 && !code.hasDefault[i]) return null;
  return plan;
}

/**
 * A call site passing keyword arguments to a callee unknown at compile time
 * (a function taken from a dict, a parameter): it remembers the plan
 * (planCall) for the last compiled function called, so the next call of
 * that function binds by the plan instead of matching names.
 */
export class KeywordSite {
  readonly npos: number;
  readonly names: readonly string[];
  private code: FuncCode | null = null;
  private plan: number[] | null = null;

  constructor(npos: number, names: readonly string[]) {
    this.npos = npos;
    this.names = names;
  }

  /**
   * f(*vals[:npos], **dict(zip(names, vals[npos:]))): `vals` holds the
   * positional then the keyword argument values, in call order.
   *
   * @example
   *   new KeywordSite(1, ["h"]).call(thread, f, [x, 4]) // f(x, h = 4)
   */
  call(thread: Thread, f: Value, vals: Value[]): Value {
    if (f instanceof StarFunction) {
      if (this.code !== f.code) {
        this.code = f.code;
        this.plan = planCall(f.code, this.npos, this.names);
      }
      const plan = this.plan;
      if (plan !== null) {
        const slots = new Array<Value>(plan.length);
        for (let i = 0; i < plan.length; i++) slots[i] = plan[i]! >= 0 ? vals[plan[i]!]! : f.defaults[i]!;
        return f.code.entry(thread, f, slots);
      }
    }
    // Anything else, or a call the plan cannot bind (its errors come from the general binder).
    const args = vals.slice(0, this.npos), kwargs: Kwargs = this.names.map((n, j) => [n, vals[this.npos + j]!]);
    return f instanceof StarFunction ? f.call(thread, args, kwargs) : call(thread, f, args, kwargs);
  }
}
