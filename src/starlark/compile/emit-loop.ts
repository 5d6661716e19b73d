/**
 * for-loops (statements and comprehension clauses). Each iteration charges
 * one step. `for x in range(...)` with the builtin range is a counting JS
 * loop; other loops index lists, and arrays of dicts' keys, directly
 * (marking the list or dict as iterated, so mutation fails as the spec
 * requires) and use the runtime's iterator protocol for everything else.
 * The body is emitted once.
 */
import type { CallExpr, DotExpr, Expr } from "../syntax/ast.ts";
import type { FnGen } from "./codegen.ts";
import { emitExpr } from "./emit-expr.ts";
import { methodCaller, universe } from "./rt.ts";

/** Charges one step inline (a decrement and a compare; see Thread.left). */
export const STEP = "if (--th.left <= 0) th.check();";
/** STEP as an expression (what `th.step()` does, without a call in V8's unoptimised tiers). */
export const STEP_EXPR = "(--th.left > 0 || th.check())";

/**
 * Emits a loop over `iter`; `store(v)` emits the assignment of the element
 * (an atom) to the loop variables, `body()` the loop body. `pair(k, v)`, when
 * the loop variables are two targets, stores the two values directly: then
 * `for k, v in d.items()` over a dict walks two arrays, with no list and no
 * tuple per entry.
 */
export function emitLoop(g: FnGen, iter: Expr, line: number, col: number, store: (v: string) => void, body: () => void,
  pair?: (k: string, v: string) => void): void {
  const x = g.temp();
  const items = pair !== undefined && isItemsCall(iter) ? iter : null;
  // ks/vs: a dict's item columns (d.items() loops only; x then holds both).
  const [ks, vs] = items === null ? [null, null] : [g.temp(), g.temp()];
  if (items === null) g.emit(`${x} = ${emitExpr(g, iter)};`);
  else emitItems(g, items, x, ks!, vs!);
  g.emit(`${g.pos(line, col)};`);
  if (items === null && isBuiltinRange(g, iter)) {
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
  if (ks !== null) g.emit(`if (${ks} !== null) ${n} = ${ks}.length;`);
  g.emit(`${ks !== null ? "else " : ""}if (${x} instanceof Range) ${n} = ${x}.len;`);
  g.emit(`else if (${x} instanceof List) ${a} = ${x}.elems, ${n} = ${a}.length, ${x}.itercount++;`);
  // A dict's keys (a fresh array, charged as iterate() does), with the dict marked as iterated likewise.
  g.emit(`else if (${x} instanceof Dict) ${a} = iterableElems(th, ${x}), ${n} = ${a}.length, ${x}.itercount++;`);
  g.emit(`else ${it} = iterate(th, ${x});`);
  g.block("try", () => {
    g.block("for (;;)", () => g.loop(() => {
      const next = () => {
        g.emit(`if (${it} !== null) { ${v} = ${it}.next(); if (${v} === undefined) break; }`);
        g.emit(`else if (${i} < ${n}) ${v} = ${a} !== null ? ${a}[${i}++] : ${x}.start + ${x}.step * ${i}++;`);
        g.emit("else break;");
        g.emit(STEP);
        store(v);
      };
      if (ks === null) {
        next();
      } else {
        g.block(`if (${ks} !== null)`, () => {
          g.emit(`if (${i} >= ${n}) break;`);
          g.emit(STEP);
          pair!(`${ks}[${i}]`, `${vs}[${i}++]`);
        });
        g.block("else", next);
      }
      body();
    }));
  });
  g.block("finally", () => {
    g.emit(`if (${a} !== null) ${x}.itercount--;`);
    g.emit(`else if (${it} !== null) ${it}.done();`);
  });
  for (const t of [v, n, i, it, a]) g.release(t);
  if (ks !== null) {
    g.release(vs!);
    g.release(ks);
  }
  g.release(x);
}

/** `x.items()` (no arguments). */
function isItemsCall(e: Expr): e is CallExpr & { fn: DotExpr } {
  return e.kind === "Call" && e.fn.kind === "Dot" && e.fn.name === "items" && e.args.length === 0;
}

/**
 * For a dict, its item columns into ks/vs (x null); anything else calls its
 * items() as the method call would (x its result, ks null).
 */
function emitItems(g: FnGen, e: CallExpr & { fn: DotExpr }, x: string, ks: string, vs: string): void {
  g.emit(`${x} = ${emitExpr(g, e.fn.x)};`);
  g.block(`if (${x} instanceof Dict)`, () => g.emit(`${x} = (${g.pos(e.line, e.col)}, itemColumns(th, ${x})), ${ks} = ${x}[0], ${vs} = ${x}[1];`));
  g.block("else", () => g.emit(`${ks} = null, ${x} = (${g.pos(e.line, e.col)}, ${g.k(methodCaller("items"))}(th, ${x}, [], null));`));
}

/** `range(...)` of the builtin range with 1 to 3 positional arguments (always returns a Range). */
export function isBuiltinRange(g: FnGen, e: Expr): boolean {
  if (e.kind !== "Call" || e.fn.kind !== "Ident" || e.fn.binding?.scope !== "universal") return false;
  if (e.fn.name !== "range" || e.args.length < 1 || e.args.length > 3) return false;
  return e.args.every((a) => a.type === "pos") && g.m.universe.range === universe.range;
}
