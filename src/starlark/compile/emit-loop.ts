/**
 * for-loops (statements and comprehension clauses). Each iteration charges
 * one step. `for x in range(...)` with the builtin range is a counting JS
 * loop; other loops index lists, and arrays of dicts' keys, directly
 * (marking the list or dict as iterated, so mutation fails as the spec
 * requires) and use the runtime's iterator protocol for everything else.
 * The body is emitted once.
 */
import type { Expr } from "../syntax/ast.ts";
import type { FnGen } from "./codegen.ts";
import { emitExpr } from "./emit-expr.ts";
import { universe } from "./rt.ts";

/** Charges one step inline (a decrement and a compare; see Thread.left). */
export const STEP = "if (--th.left <= 0) th.check();";

/**
 * Emits a loop over `iter`; `store(v)` emits the assignment of the element
 * (an atom) to the loop variables, `body()` the loop body.
 */
export function emitLoop(g: FnGen, iter: Expr, line: number, col: number, store: (v: string) => void, body: () => void): void {
  const x = g.temp();
  g.emit(`${x} = ${emitExpr(g, iter)};`);
  g.emit(`${g.pos(line, col)};`);
  if (isBuiltinRange(g, iter)) {
    g.withTemp((i) => g.withTemp((v) => {
      g.block(`for (${i} = 0; ${i} < ${x}.len; ${i}++)`, () => g.loop(() => {
        g.emit(STEP);
        g.emit(`${v} = ${x}.start + ${x}.step * ${i};`);
        store(v);
        body();
      }));
    }));
    g.release(x);
    return;
  }
  // a: the list's elements or dict's keys, it: an iterator (other iterables), neither: a Range.
  const [a, it, i, n, v] = [g.temp(), g.temp(), g.temp(), g.temp(), g.temp()];
  g.emit(`${a} = null, ${it} = null, ${i} = 0;`);
  g.emit(`if (${x} instanceof Range) ${n} = ${x}.len;`);
  g.emit(`else if (${x} instanceof List) ${a} = ${x}.elems, ${n} = ${a}.length, ${x}.itercount++;`);
  // A dict's keys (a fresh array, charged as iterate() does), with the dict marked as iterated likewise.
  g.emit(`else if (${x} instanceof Dict) ${a} = iterableElems(th, ${x}), ${n} = ${a}.length, ${x}.itercount++;`);
  g.emit(`else ${it} = iterate(th, ${x});`);
  g.block("try", () => {
    g.block("for (;;)", () => g.loop(() => {
      g.emit(`if (${it} !== null) { ${v} = ${it}.next(); if (${v} === undefined) break; }`);
      g.emit(`else if (${i} < ${n}) ${v} = ${a} !== null ? ${a}[${i}++] : ${x}.start + ${x}.step * ${i}++;`);
      g.emit("else break;");
      g.emit(STEP);
      store(v);
      body();
    }));
  });
  g.block("finally", () => {
    g.emit(`if (${a} !== null) ${x}.itercount--;`);
    g.emit(`else if (${it} !== null) ${it}.done();`);
  });
  for (const t of [v, n, i, it, a, x]) g.release(t);
}

/** `range(...)` of the builtin range with 1 to 3 positional arguments (always returns a Range). */
function isBuiltinRange(g: FnGen, e: Expr): boolean {
  if (e.kind !== "Call" || e.fn.kind !== "Ident" || e.fn.binding?.scope !== "universal") return false;
  if (e.fn.name !== "range" || e.args.length < 1 || e.args.length > 3) return false;
  return e.args.every((a) => a.type === "pos") && g.m.universe.range === universe.range;
}
