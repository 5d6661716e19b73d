/**
 * Entry point of the compiler: turns a resolved file into a Program whose
 * closures share one module context (its globals array).
 */
import type { File } from "../syntax/ast.ts";
import { Cell, Env, type ModuleCtx, type Slot } from "./env.ts";
import { compileBlock } from "./stmt.ts";
import { freeze, type Thread, type Value } from "./rt.ts";

/** A compiled module, ready to execute once. */
export class Program {
  readonly filename: string;
  private readonly mod: ModuleCtx;
  private readonly body: ReturnType<typeof compileBlock>;
  private readonly numLocals: number;
  private readonly cells: readonly number[];
  /** The closures write this program's own globals array, so it runs only once. */
  private executed = false;

  constructor(file: File, mod: ModuleCtx, body: ReturnType<typeof compileBlock>) {
    this.filename = file.filename;
    this.mod = mod;
    this.body = body;
    this.numLocals = file.numLocals;
    this.cells = file.cells;
  }

  /**
   * Runs the module body in a `<toplevel>` frame, then freezes and returns
   * its globals. Errors propagate with the thread's frames left in place
   * (the caller captures the backtrace).
   */
  execute(thread: Thread): Record<string, Value> {
    if (this.executed) throw new Error("Program.execute: a compiled program runs once (compile again)");
    this.executed = true;
    const frame = thread.pushFrame("<toplevel>", this.filename);
    const locals = new Array<Slot>(this.numLocals).fill(undefined);
    for (const c of this.cells) locals[c] = new Cell();
    this.body(new Env(locals, [], thread, frame));
    thread.popFrame();
    const out: Record<string, Value> = {};
    this.mod.globalNames.forEach((name, i) => {
      const v = this.mod.globals[i];
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
  const mod: ModuleCtx = {
    filename: file.filename,
    globals: new Array<Value | undefined>(file.globals.length).fill(undefined),
    globalNames: file.globals,
  };
  const body = compileBlock(file.stmts, { mod, predeclared, universe, numParams: 0 });
  return new Program(file, mod, body);
}
