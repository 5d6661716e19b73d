/**
 * Code generation state: one ModuleGen per program, one FnGen per generated
 * JS function (a def/lambda body, a comprehension, the module body).
 *
 * Security. Tenant source must never reach the generated JS text, because
 * that text is handed to `new Function`. The emitters therefore only ever
 * write compiler-chosen tokens:
 * - identifiers are generated from counters and slot indices (`l3` local,
 *   `g1` global, `f0` free variable, `t2` temporary, `F4`/`E4` function
 *   entries, `Q0` comprehension, `b1` label), never Starlark names;
 * - every value derived from the source — strings, names for messages,
 *   floats, bigints, bytes, code objects, large ints — goes to the constant
 *   pool and is referenced as `kN` (constants.ts); so do the runtime objects
 *   the compiler picks for a call site (a builtin's implementation, a
 *   KeywordSite, a DictShape), which generated code calls or reads;
 * - numbers in the text are small integers the compiler formats itself
 *   (`String(n)` of a validated safe integer: digits and `-` only);
 * - the only string literals are the `'use strict'` prologue and the
 *   typeof tags `'number'`, `'string'`, `'boolean'`;
 * - the factory's only inputs are the constant array `K` and the runtime
 *   object `R` (support.ts RUNTIME); it is strict code and names nothing
 *   global (`globalThis`, `process`, `require`, `Function` are never named).
 * check-source.ts re-verifies the finished text (every character and every
 * identifier) before it is compiled, so a slip in an emitter fails closed
 * instead of executing.
 */
import type { File, FunctionInfo } from "../syntax/ast.ts";
import { Constants, posText } from "./constants.ts";
import type { FuncCode } from "./function.ts";
import type { Value } from "./rt.ts";

/** Per-program generation state. */
export class ModuleGen {
  readonly k = new Constants();
  readonly file: File;
  readonly predeclared: Readonly<Record<string, Value>>;
  readonly universe: Readonly<Record<string, Value>>;
  /** Generated F<id>/E<id> declarations per code id (undefined until its def is reached). */
  readonly entries: Array<string | undefined> = [];
  /** Generated comprehension functions. */
  readonly comprehensionFns: string[] = [];
  /** Code objects; index i is generated as F{i} (direct entry) and E{i} (array entry). */
  readonly codes: FuncCode[] = [];
  readonly codeIds = new Map<FunctionInfo, number>();
  /** Global slot -> the def that is its only binding (calls through it can bind directly). */
  readonly globalDefs: Map<number, FunctionInfo>;
  private comprehensions = 0;

  constructor(file: File, predeclared: Readonly<Record<string, Value>>, universe: Readonly<Record<string, Value>>,
    globalDefs: Map<number, FunctionInfo>) {
    this.file = file;
    this.predeclared = predeclared;
    this.universe = universe;
    this.globalDefs = globalDefs;
  }

  /** A fresh comprehension function name. */
  comprehensionName(): string {
    return `Q${this.comprehensions++}`;
  }
}

/** Kinds of generated function. */
export type FnKind = "module" | "function" | "comprehension";

/** Emission state of one generated JS function. */
export class FnGen {
  readonly m: ModuleGen;
  readonly kind: FnKind;
  /** Leading local slots that are parameters (always bound). */
  readonly numParams: number;
  /** Comprehension only: plain local slots it binds itself (declared inside it). */
  readonly own: ReadonlySet<number>;
  /** Comprehension only: names of the enclosing function it reads, passed as arguments. */
  readonly outer = new Set<string>();
  /** Local slots declared with `let` in this function (non-parameters). */
  readonly declared = new Set<number>();
  private readonly lines: string[] = [];
  private indent = 1;
  private temps = 0;
  private maxTemps = 0;
  private labels = 0;
  /** Plain local slots certainly assigned at the current point of emission (reads skip the check). */
  private assigned = new Set<number>();
  /** Local slots that only hold small ints (JS numbers) wherever they are bound (known-ints.ts). */
  knownInts: ReadonlySet<number> = new Set();
  /** Module body only: global slots certainly assigned so far. */
  private assignedGlobals = new Set<number>();
  /** Loops enclosing the point of emission. */
  private loops = 0;

  constructor(m: ModuleGen, kind: FnKind, numParams: number, own: ReadonlySet<number> = new Set()) {
    this.m = m;
    this.kind = kind;
    this.numParams = numParams;
    this.own = own;
  }

  /** A reference to a constant (see constants.ts). */
  k(v: unknown): string {
    return this.m.k.ref(v);
  }

  emit(line: string): void {
    this.lines.push("  ".repeat(this.indent) + line);
  }

  /** Emits `head {`, the block produced by `body`, and `}`. */
  block(head: string, body: () => void): void {
    this.emit(`${head} {`);
    this.indent++;
    body();
    this.indent--;
    this.emit("}");
  }

  /** Takes a temporary; temporaries are released in LIFO order. */
  temp(): string {
    const t = `t${this.temps++}`;
    if (this.temps > this.maxTemps) this.maxTemps = this.temps;
    return t;
  }

  release(t: string): void {
    if (t !== `t${--this.temps}`) throw new Error("internal error: temporaries released out of order");
  }

  /** Runs `f` with a temporary held for its duration. */
  withTemp<T>(f: (t: string) => T): T {
    const t = this.temp();
    const r = f(t);
    this.release(t);
    return r;
  }

  label(): string {
    return `b${this.labels++}`;
  }

  /** The JS name of a local slot (a value, or a Cell for captured locals). */
  local(slot: number): string {
    const name = `l${slot}`;
    if (this.kind === "comprehension" && !this.own.has(slot)) this.outer.add(name);
    else if (slot >= this.numParams) this.declared.add(slot);
    return name;
  }

  /** The JS name of free variable i (a Cell), hoisted from `fn.free` at function entry. */
  freeVar(i: number): string {
    const name = `f${i}`;
    if (this.kind === "comprehension") this.outer.add(name);
    return name;
  }

  /** Whether reading slot may find it unbound (parameters never are; in a comprehension, the enclosing function's). */
  mayBeUnbound(slot: number): boolean {
    return (this.own.has(slot) || slot >= this.numParams) && !this.assigned.has(slot);
  }

  /**
   * Whether the code being emitted may run many times: anything in a
   * function or comprehension, or in a loop. The module body's straight-line
   * code runs once, so it calls the runtime's operators instead of inlining
   * fast paths (large configuration-style modules stay small and compile fast).
   */
  get hot(): boolean {
    return this.kind !== "module" || this.loops > 0;
  }

  /** Emits a loop body. */
  loop(f: () => void): void {
    this.loops++;
    this.conditional(f);
    this.loops--;
  }

  /** Whether global `slot` may be unassigned here (only the module body's own assignments are tracked). */
  globalMayBeUnbound(slot: number): boolean {
    return !this.assignedGlobals.has(slot);
  }

  markGlobalAssigned(slot: number): void {
    if (this.kind === "module") this.assignedGlobals.add(slot);
  }

  /** Records that the code emitted from here on runs after plain local `slot` was assigned. */
  markAssigned(slot: number): void {
    this.assigned.add(slot);
  }

  /**
   * Emits code that may run zero or more times or not at all (a branch, a
   * loop body): what it assigns does not count as assigned afterwards.
   * (Starlark has no `del`, so an assigned local stays bound.)
   */
  conditional(f: () => void): void {
    const saved = new Set(this.assigned), savedGlobals = new Set(this.assignedGlobals);
    f();
    this.assigned = saved;
    this.assignedGlobals = savedGlobals;
  }

  /** `fr.line = L, fr.col = C`: the position reported if the next operation fails. */
  pos(line: number, col: number): string {
    return `fr.line = ${posText(line)}, fr.col = ${posText(col)}`;
  }

  /** `let` declarations for the locals and temporaries used. */
  declarations(extra: readonly string[] = []): string {
    const names = [...[...this.declared].sort((a, b) => a - b).map((s) => `l${s}`), ...extra];
    for (let i = 0; i < this.maxTemps; i++) names.push(`t${i}`);
    return names.length === 0 ? "" : `  let ${names.join(", ")};\n`;
  }

  body(): string {
    return this.lines.join("\n") + "\n";
  }
}

/** An expression that may be evaluated more than once or later without changing meaning. */
export function isAtom(js: string): boolean {
  return /^(?:[lktfg][0-9]+|[0-9]+|null|true|false)$/.test(js);
}

/** Whether evaluating `js` may overwrite the frame position without failing (calls, comprehensions, dict literals). */
export function writesPos(js: string): boolean {
  return /fr\.line|\bQ[0-9]|dictEntry/.test(js);
}
