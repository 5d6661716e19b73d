/**
 * Entry point of the compiler: generates one JS factory per program (see
 * codegen.ts for what the generated text may contain), checks it, and
 * instantiates it once with `new Function`.
 */
import type { File, FunctionInfo, Stmt } from "../syntax/ast.ts";
import { StarlarkSyntaxError } from "../syntax/errors.ts";
import { checkGeneratedSource, PROLOGUE } from "./check-source.ts";
import { FnGen, ModuleGen } from "./codegen.ts";
import { emitBlock } from "./emit-stmt.ts";
import type { ArrayEntry, DirectEntry } from "./function.ts";
import { freeze, type Thread, type Value } from "./rt.ts";
import { RUNTIME } from "./support.ts";

type ModuleBody = (thread: Thread) => void;

/** A compiled module, ready to execute once. */
export class Program {
  readonly filename: string;
  /** The generated JS (for tests and debugging; contains no tenant text). */
  readonly source: string;
  private readonly globalNames: readonly string[];
  private readonly body: ModuleBody;
  private readonly globals: () => Array<Value | undefined>;
  /** The generated code keeps this program's globals, so it runs only once. */
  private executed = false;

  constructor(filename: string, source: string, globalNames: readonly string[], body: ModuleBody, globals: () => Array<Value | undefined>) {
    this.filename = filename;
    this.source = source;
    this.globalNames = globalNames;
    this.body = body;
    this.globals = globals;
  }

  /**
   * Runs the module body in a `<toplevel>` frame, then freezes and returns
   * its globals. Errors propagate with the thread's frames left in place
   * (the caller captures the backtrace).
   */
  execute(thread: Thread): Record<string, Value> {
    if (this.executed) throw new Error("Program.execute: a compiled program runs once (compile again)");
    this.executed = true;
    this.body(thread);
    const values = this.globals();
    const out: Record<string, Value> = {};
    this.globalNames.forEach((name, i) => {
      const v = values[i];
      if (v !== undefined) {
        freeze(v);
        // defineProperty: a global named __proto__ must stay data, not replace the prototype.
        Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
      }
    });
    return out;
  }
}

/**
 * Compiles a resolved file. Predeclared and universal names are bound now,
 * so a Program is specific to the values passed here.
 *
 * @example
 *   const file = parseFile(src, "a.star");
 *   resolveFile(file, names, {});
 *   const globals = compileProgram(file, predeclared, universe).execute(thread);
 */
export function compileProgram(
  file: File,
  predeclared: Readonly<Record<string, Value>>,
  universe: Readonly<Record<string, Value>>,
): Program {
  const m = new ModuleGen(file, predeclared, universe, soleDefs(file));
  const g = new FnGen(m, "module", 0);
  for (const slot of file.cells) g.emit(`${g.local(slot)} = new Cell();`);
  emitBlock(g, file.stmts);
  g.emit("th.popFrame();");
  const frameName = g.k("<toplevel>"), fileName = g.k(file.filename);
  const k = m.k.values.map((_, i) => `k${i} = K[${i}]`);
  const globals = file.globals.map((_, i) => `g${i}`);
  const source = PROLOGUE
    + `const ${Object.keys(RUNTIME).map((n) => `${n} = R.${n}`).join(", ")};\n`
    + (k.length === 0 ? "" : `const ${k.join(", ")};\n`)
    + (globals.length === 0 ? "" : `let ${globals.join(", ")};\n`)
    + m.entries.join("") + m.comprehensionFns.join("")
    + `function M(th) {\n${g.declarations()}  const fr = th.pushFrame(${frameName}, ${fileName});\n${g.body()}}\n`
    + `function G() {\n  return [${globals.join(", ")}];\n}\n`
    + `return [M, G, [${m.codes.map((_, i) => `F${i}`).join(", ")}], [${m.codes.map((_, i) => `E${i}`).join(", ")}]];\n`;
  checkGeneratedSource(source);
  // The text holds only compiler-chosen tokens (codegen.ts) and was just checked.
  const factory = instantiate(file.filename, source) as (k: unknown[], r: typeof RUNTIME) => [ModuleBody, () => Array<Value | undefined>, DirectEntry[], ArrayEntry[]];
  const [body, globalsOf, direct, entry] = factory(m.k.values, RUNTIME);
  m.codes.forEach((c, i) => {
    c.direct = direct[i]!;
    c.entry = entry[i]!;
  });
  return new Program(file.filename, source, file.globals, body, globalsOf);
}

/**
 * `new Function` over the checked source. V8 rejects code beyond its
 * limits (e.g. millions of variables) with a SyntaxError, reported as a
 * static error of the program; a stack overflow propagates (index.ts
 * reports "nested too deeply").
 */
function instantiate(filename: string, source: string): unknown {
  try {
    return new Function("K", "R", source);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new StarlarkSyntaxError([{ pos: { file: filename, line: 1, col: 1 }, msg: `program too large to compile (${e.message})` }]);
  }
}

/**
 * Globals whose only binding in the file is one def: calls through them can
 * be planned against that def at compile time (and still check at run time
 * that the value is that def's function).
 */
function soleDefs(file: File): Map<number, FunctionInfo> {
  const binds = new Map<number, number>();
  const defs = new Map<number, FunctionInfo>();
  const bind = (e: { kind: string; binding?: { scope: string; index: number } }) => {
    if (e.kind === "Ident" && e.binding?.scope === "global") binds.set(e.binding.index, (binds.get(e.binding.index) ?? 0) + 1);
  };
  const targets = (e: Parameters<typeof bind>[0] & { elts?: unknown[] }) => {
    bind(e);
    if (e.kind === "Tuple" || e.kind === "List") for (const x of e.elts as Array<Parameters<typeof targets>[0]>) targets(x);
  };
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === "Assign") targets(s.lhs);
      else if (s.kind === "For") {
        targets(s.vars);
        visit(s.body);
      } else if (s.kind === "While") visit(s.body);
      else if (s.kind === "If") {
        visit(s.body);
        visit(s.orelse);
      } else if (s.kind === "Load") s.to.forEach(bind);
      else if (s.kind === "Def") {
        bind(s.name);
        if (s.name.binding?.scope === "global") defs.set(s.name.binding.index, s.fn!);
      }
    }
  };
  visit(file.stmts);
  for (const [i] of defs) if (binds.get(i) !== 1) defs.delete(i);
  return defs;
}
