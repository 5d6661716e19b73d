/**
 * List and dict comprehensions. Each comprehension becomes its own JS
 * function `Q<n>(th, fr, ...)` (an expression can hold no loop), called in
 * place with the enclosing function's variables it reads as arguments.
 * That is exact because an expression cannot rebind the enclosing
 * function's variables: only the comprehension's own loop variables change,
 * and those are `let`s of Q (or, when a lambda captures one, the enclosing
 * function's Cell, passed by reference).
 */
import type { Comprehension, DictEntry, Expr } from "../syntax/ast.ts";
import { FnGen } from "./codegen.ts";
import { emitExpr, emitTest, operands } from "./emit-expr.ts";
import { emitLoop } from "./emit-loop.ts";
import { emitStore, storePair } from "./emit-stmt.ts";

/** Emits `[body for ... if ...]` or `{k: v for ...}`: a call of a generated function. */
export function emitComprehension(g: FnGen, e: Comprehension): string {
  const own = new Set<number>();
  for (const c of e.clauses) if (c.kind === "for") collectLocals(c.vars, own);
  const q = new FnGen(g.m, "comprehension", g.numParams, own);
  q.knownInts = g.knownInts;
  const out = q.temp();
  q.emit(`${out} = ${e.dict ? "new Dict()" : "[]"};`);
  emitClauses(q, e, 0, out);
  q.emit(`return ${e.dict ? out : `new List(${out})`};`);
  q.release(out);
  const name = g.m.comprehensionName();
  const outer = [...q.outer];
  g.m.comprehensionFns.push(`function ${name}(${["th", "fr", ...outer].join(", ")}) {\n${q.declarations()}${q.body()}}\n`);
  // The same names in the enclosing function (registering its own uses).
  const args = outer.map((n) => (n.startsWith("l") ? g.local(Number(n.slice(1))) : g.freeVar(Number(n.slice(1)))));
  return `${name}(${["th", "fr", ...args].join(", ")})`;
}

/** Plain local slots assigned by a target (`a`, `a, (b, c)`; not `x[i]` or `x.f`). */
export function collectLocals(e: Expr, out: Set<number>): void {
  if (e.kind === "Ident") {
    if (e.binding?.scope === "local") out.add(e.binding.index);
  } else if (e.kind === "Tuple" || e.kind === "List") {
    for (const x of e.elts) collectLocals(x, out);
  }
}

function emitClauses(q: FnGen, e: Comprehension, i: number, out: string): void {
  if (i === e.clauses.length) {
    if (e.dict) {
      const body = e.body as DictEntry;
      q.emit(`${operands(q, [() => emitExpr(q, body.key), () => emitExpr(q, body.value)],
        ([k, v]) => `(${q.pos(body.key.line, body.key.col)}, dictSet(th, ${out}, ${k}, ${v}))`)};`);
    } else {
      q.withTemp((v) => {
        q.emit(`${v} = ${emitExpr(q, e.body as Expr)};`);
        q.emit(`if (${out}.length >= th.limits.maxListLength) th.checkList(${out}.length + 1);`);
        q.emit(`${out}.push(${v});`);
      });
    }
    return;
  }
  const c = e.clauses[i]!;
  if (c.kind === "if") {
    q.block(`if (${emitTest(q, c.cond)})`, () => q.conditional(() => emitClauses(q, e, i + 1, out)));
    return;
  }
  emitLoop(q, c.iter, c.line, c.col, (v) => emitStore(q, c.vars, v), () => emitClauses(q, e, i + 1, out), storePair(q, c.vars));
}
