/**
 * Public embedding API of the Starlark interpreter. See README.md.
 *
 * @example
 *   import { runModule, callFunction, fromJS, toJS } from "./starlark/index.ts";
 *   const globals = runModule("def handle(req):\n  return {'path': req['path']}\n", { filename: "app.star" });
 *   toJS(callFunction(globals.handle!, [fromJS({ path: "/" })])); // { path: "/" }
 */
import { compileProgram, type Program } from "./compile/compiler.ts";
import type { File } from "./syntax/ast.ts";
import { StarlarkSyntaxError, type Diagnostic } from "./syntax/errors.ts";
import type { SyntaxOptions } from "./syntax/options.ts";
import { isStackOverflow, parseFile } from "./syntax/parser.ts";
import { resolveFile } from "./syntax/resolver.ts";
import { universe as builtins } from "./builtins/universe.ts";
import { fail, StarlarkError, toStarlarkError } from "./values/errors.ts";
import { call } from "./values/ops.ts";
import { Thread, type Limits } from "./values/thread.ts";
import { Builtin, type Kwargs, type Value } from "./values/value.ts";

export { fromJS, toJS, type JSValue } from "./api/convert.ts";
export { StarlarkError } from "./values/errors.ts";
export { StarlarkSyntaxError, formatDiagnostic, type Diagnostic } from "./syntax/errors.ts";
export { Thread, type Limits } from "./values/thread.ts";
export { params, type Params } from "./builtins/args.ts";
export { Builtin, Bytes, Dict, Float, List, Module, Tuple, type HostValue, type Kwargs, type Value } from "./values/value.ts";
export { repr, str, typeName, dictSet, dictEntries, freeze } from "./values/ops.ts";
export { asBool, asInt, asString, positional } from "./builtins/args.ts";
export { json } from "./lib/json.ts";
export { math } from "./lib/math.ts";
export { time, setTimeNow } from "./lib/time.ts";
export { Program } from "./compile/compiler.ts";

/** Dialect switches (all off by default: the strict spec dialect). */
export type Options = SyntaxOptions;

/** Supplies the globals of a loaded module; runs on the loading thread. */
export type LoadCallback = (module: string, thread: Thread) => Record<string, Value>;

export interface CompileOptions {
  /** Used in positions and backtraces. Default "main.star". */
  filename?: string;
  /** Names visible to the module besides the builtins. */
  predeclared?: Record<string, Value>;
  options?: Options;
}

export interface RunOptions extends CompileOptions {
  /** Run on this thread (keeps its budget, print and load hooks) instead of a new one. */
  thread?: Thread;
  limits?: Partial<Limits>;
  /** Step budget (about one step per loop iteration or call). */
  maxSteps?: number;
  /** Wall-clock budget in milliseconds, from the start of the run. */
  timeoutMs?: number;
  /** Receives each print() line. Default: stderr. */
  print?: (msg: string) => void;
  /** Resolves load() statements; results are cached per thread and cycles are errors. */
  load?: LoadCallback;
}

/** The builtins plus None/True/False. */
const UNIVERSE: Readonly<Record<string, Value>> = { None: null, True: true, False: false, ...builtins };

/**
 * Parses a file; throws StarlarkSyntaxError on the first syntax error.
 *
 * @example parse("x = 1\n", "a.star").stmts.length; // 1
 */
export function parse(source: string, filename = "main.star"): File {
  return parseFile(source, filename);
}

/**
 * Parses and resolves; returns every static error (empty when the file is valid).
 *
 * @example resolve("print(y)\n", "a.star")[0].msg; // "undefined: y"
 */
export function resolve(source: string, filename = "main.star", opts: Omit<CompileOptions, "filename"> = {}): Diagnostic[] {
  try {
    return resolveParsed(parseFile(source, filename), opts);
  } catch (e) {
    if (e instanceof StarlarkSyntaxError) return [...e.diagnostics];
    throw e;
  }
}

function resolveParsed(file: File, opts: Omit<CompileOptions, "filename">): Diagnostic[] {
  const predeclared = opts.predeclared ?? {};
  return resolveFile(file, {
    isPredeclared: (name) => Object.hasOwn(predeclared, name),
    isUniversal: (name) => Object.hasOwn(UNIVERSE, name),
  }, opts.options ?? {});
}

/**
 * Parses, resolves and compiles a module; throws StarlarkSyntaxError with
 * all static errors. The Program runs once (it owns its globals).
 *
 * @example compile("x = 1\n").execute(new Thread()).x; // 1
 */
export function compile(source: string, opts: CompileOptions = {}): Program {
  const filename = opts.filename ?? "main.star";
  const file = parseFile(source, filename);
  try {
    const errors = resolveParsed(file, opts);
    if (errors.length > 0) throw new StarlarkSyntaxError(errors);
    return compileProgram(file, opts.predeclared ?? {}, UNIVERSE);
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    throw new StarlarkSyntaxError([{ pos: { file: filename, line: 1, col: 1 }, msg: "program nested too deeply to compile" }]);
  }
}

/** Creates a thread configured from run options. */
export function newThread(opts: Omit<RunOptions, "thread" | "filename" | "predeclared"> = {}): Thread {
  const print = opts.print;
  const thread = new Thread({
    maxSteps: opts.maxSteps,
    deadline: opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs,
    limits: opts.limits,
    options: opts.options,
    print: print === undefined ? undefined : (_t, msg) => print(msg),
  });
  if (opts.load !== undefined) installLoad(thread, opts.load);
  return thread;
}

/** Wraps a load callback with a per-thread cache and cycle detection. */
function installLoad(thread: Thread, load: LoadCallback): void {
  const cache = new Map<string, Record<string, Value>>();
  const loading = new Set<string>();
  thread.load = (t, module) => {
    const hit = cache.get(module);
    if (hit !== undefined) return hit;
    if (loading.has(module)) fail("cycle in load graph");
    loading.add(module);
    try {
      const globals = load(module, t);
      cache.set(module, globals);
      return globals;
    } finally {
      loading.delete(module);
    }
  };
}

/**
 * Runs a module and returns its (frozen) globals. Throws StarlarkSyntaxError
 * for static errors, StarlarkError (with backtrace; see `format()`) for
 * runtime errors.
 *
 * @example runModule("x = [1, 2]\ny = len(x)\n").y; // 2
 */
export function runModule(source: string, opts: RunOptions = {}): Record<string, Value> {
  // A supplied thread's dialect applies to the static checks too, unless overridden.
  const program = compile(source, { ...opts, options: opts.options ?? opts.thread?.options });
  const thread = opts.thread ?? newThread(opts);
  return guard(thread, () => program.execute(thread));
}

/** Alias of runModule, named after starlark-go's ExecFile. */
export const execFile = runModule;

/**
 * Calls a Starlark function (or any callable) from JS.
 *
 * @example callFunction(globals.handle!, [fromJS({ path: "/" })], null, { timeoutMs: 100 });
 */
export function callFunction(
  fn: Value,
  args: Value[] = [],
  kwargs: Record<string, Value> | null = null,
  opts: Omit<RunOptions, "filename" | "predeclared"> = {},
): Value {
  const thread = opts.thread ?? newThread(opts);
  const kw: Kwargs | null = kwargs === null ? null : Object.entries(kwargs);
  return guard(thread, () => call(thread, fn, args, kw));
}

/** Runs `f` on `thread`, turning any failure into a StarlarkError with a backtrace. */
function guard<T>(thread: Thread, f: () => T): T {
  const depth = thread.frames.length;
  try {
    return f();
  } catch (e) {
    const err = toStarlarkError(e);
    thread.captureBacktrace(err, depth);
    throw err;
  }
}

/**
 * Defines a host function callable from Starlark.
 *
 * @example
 *   const greet = hostFunction("greet", (args) => `hello ${args[0]}`);
 *   runModule("x = greet('bob')\n", { predeclared: { greet } }).x; // "hello bob"
 */
export function hostFunction(name: string, impl: (args: Value[], kwargs: Kwargs | null, thread: Thread) => Value): Builtin {
  return new Builtin(name, (thread, args, kwargs) => impl(args, kwargs, thread));
}

/**
 * A load callback that compiles modules from source text (returned by
 * `source(module)`, undefined if unknown) and runs them on the loading thread.
 *
 * @example runModule(main, { load: sourceLoader((m) => files[m], { predeclared }) });
 */
export function sourceLoader(source: (module: string) => string | undefined, opts: CompileOptions = {}): LoadCallback {
  return (module, thread) => {
    const text = source(module);
    if (text === undefined) throw new StarlarkError(`module ${module} not found`);
    try {
      return compile(text, { options: thread.options, ...opts, filename: module }).execute(thread);
    } catch (e) {
      if (e instanceof StarlarkSyntaxError) throw new StarlarkError(e.message);
      throw e;
    }
  };
}
