/**
 * def and lambda: the code object, the generated entries, and the
 * expression creating a function value.
 *
 * Each def/lambda body becomes `F<id>(th, fn, l0, ..., lP)` taking its
 * parameter slots as JS arguments (so a planned call binds arguments with
 * no array), plus `E<id>(th, fn, a)` taking them as an array for the
 * general binder. The prologue charges the call's step, checks recursion,
 * pushes the frame and makes cells for captured locals; the frame is popped
 * on normal return only (errors leave it for the backtrace).
 */
import type { FunctionInfo } from "../syntax/ast.ts";
import { FnGen, type ModuleGen } from "./codegen.ts";
import { emitExpr } from "./emit-expr.ts";
import { emitBlock } from "./emit-stmt.ts";
import { STEP } from "./emit-loop.ts";
import { rangeCounters } from "./known-ints.ts";
import { MAX_DIRECT_PARAMS, type ArrayEntry, type DirectEntry, type FuncCode } from "./function.ts";

const unset = (() => {
  throw new Error("internal error: function entry used before the program was instantiated");
}) as DirectEntry & ArrayEntry;

/** The code object of a def/lambda and its generated entries' number (created on first use). */
export function functionCode(m: ModuleGen, info: FunctionInfo): { code: FuncCode; id: number } {
  let id = m.codeIds.get(info);
  if (id === undefined) {
    const ordinary = info.params.filter((p) => p.type === "required" || p.type === "optional");
    const positional = ordinary.length - info.numKwonly;
    const numParamSlots = ordinary.length + (info.hasVarargs ? 1 : 0) + (info.hasKwargs ? 1 : 0);
    const simple = !info.hasVarargs && !info.hasKwargs && info.numKwonly === 0;
    id = m.codes.length;
    m.codes.push({
      name: info.name,
      file: m.file.filename,
      paramNames: ordinary.map((p) => p.name!.name),
      hasDefault: ordinary.map((p) => p.dflt !== null),
      numKwonly: info.numKwonly,
      hasVarargs: info.hasVarargs,
      hasKwargs: info.hasKwargs,
      hasOptionalPositional: ordinary.slice(0, positional).some((p) => p.type === "optional"),
      numParamSlots,
      arity: simple && numParamSlots <= MAX_DIRECT_PARAMS ? numParamSlots : -1,
      active: 0,
      direct: unset,
      entry: unset,
    });
    m.codeIds.set(info, id);
  }
  return { code: m.codes[id]!, id };
}

/** Emits the creation of a function value: evaluates defaults, captures cells. */
export function emitFunctionValue(g: FnGen, info: FunctionInfo): string {
  const { code, id } = functionCode(g.m, info);
  generateBody(g.m, info, id, code);
  const ordinary = info.params.filter((p) => p.type === "required" || p.type === "optional");
  const defaults = ordinary.every((p) => p.dflt === null)
    ? g.k(new Array<undefined>(ordinary.length).fill(undefined))
    : `[${ordinary.map((p) => (p.dflt === null ? "undefined" : emitExpr(g, p.dflt))).join(", ")}]`;
  const free = info.freevars.length === 0 ? g.k([])
    : `[${info.freevars.map((b) => (b.scope === "cell" ? g.local(b.index) : g.freeVar(b.index))).join(", ")}]`;
  return `makeFunction(${g.k(code)}, ${defaults}, ${free})`;
}

/** Generates F<id> and E<id> for a def/lambda body. */
function generateBody(m: ModuleGen, info: FunctionInfo, id: number, code: FuncCode): void {
  if (m.entries[id] !== undefined) return;
  const np = code.numParamSlots;
  const g = new FnGen(m, "function", np);
  g.knownInts = rangeCounters(g, info.body, np);
  const c = g.k(code);
  for (const slot of info.cells) {
    g.emit(`${g.local(slot)} = new Cell(${slot < np ? `l${slot}` : ""});`);
  }
  g.emit(`${c}.active++;`);
  g.block("try", () => {
    emitBlock(g, info.body);
    g.emit("th.popFrame();");
    g.emit("return null;");
  });
  g.block("finally", () => g.emit(`${c}.active--;`));
  const params = Array.from({ length: np }, (_, i) => `l${i}`);
  const free = info.freevars.map((_, i) => `f${i} = fn.free[${i}]`);
  const spread = np <= MAX_DIRECT_PARAMS;
  m.entries[id] = `function F${id}(${["th", "fn", ...(spread ? params : ["a"])].join(", ")}) {\n`
    + (spread ? "" : `  let ${params.map((p, i) => `${p} = a[${i}]`).join(", ")};\n`)
    + g.declarations(["rv"])
    + `  ${STEP}\n`
    + `  if (${c}.active !== 0 && !th.options.allowRecursion) recursion(fn);\n`
    + `  const fr = th.pushFrame(${g.k(code.name)}, ${g.k(code.file)});\n`
    + (free.length === 0 ? "" : `  const ${free.join(", ")};\n`)
    + g.body() + "}\n"
    + `function E${id}(th, fn, a) {\n  return F${id}(${["th", "fn", ...(spread ? params.map((_, i) => `a[${i}]`) : ["a"])].join(", ")});\n}\n`;
}
