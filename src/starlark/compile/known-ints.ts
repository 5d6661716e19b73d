/**
 * Locals that can only hold a small int: those whose every assignment in
 * the function is `for x in range(...)` with the builtin range, whose
 * elements are safe integers (JS numbers). Arithmetic on them then needs no
 * type test and no string or float path (emit-ops.ts): `m * 1000003 + i`
 * tests only `m`. Comprehension variables have slots of their own and are
 * never assigned by statements, so they are never in the set.
 */
import type { Stmt } from "../syntax/ast.ts";
import type { FnGen } from "./codegen.ts";
import { collectLocals } from "./emit-comp.ts";
import { isBuiltinRange } from "./emit-loop.ts";

/** Slots (at or above `numParams`: parameters are bound by callers) that only range loops assign. */
export function rangeCounters(g: FnGen, body: readonly Stmt[], numParams: number): Set<number> {
  const counters = new Set<number>(), other = new Set<number>();
  walk(g, body, counters, other);
  for (const s of other) counters.delete(s);
  for (const s of counters) if (s < numParams) counters.delete(s);
  return counters;
}

function walk(g: FnGen, stmts: readonly Stmt[], counters: Set<number>, other: Set<number>): void {
  for (const s of stmts) {
    switch (s.kind) {
      case "Assign":
        collectLocals(s.lhs, other);
        break;
      case "Def":
        collectLocals(s.name, other);
        break;
      case "For":
        collectLocals(s.vars, s.vars.kind === "Ident" && isBuiltinRange(g, s.iter) ? counters : other);
        walk(g, s.body, counters, other);
        break;
      case "If": {
        // An elif chain is an If in the else of the one before: walked in a loop, not by
        // recursion, so thousands of branches do not run out of stack (as emit-stmt.ts does).
        let cur = s;
        for (;;) {
          walk(g, cur.body, counters, other);
          const next = cur.orelse.length === 1 ? cur.orelse[0]! : undefined;
          if (next?.kind !== "If") break;
          cur = next;
        }
        walk(g, cur.orelse, counters, other);
        break;
      }
      case "While":
        walk(g, s.body, counters, other);
        break;
      case "Load":
        for (const id of s.to) collectLocals(id, other);
        break;
      default:
        break;
    }
  }
}
