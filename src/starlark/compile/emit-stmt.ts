/**
 * Statements to JS statements: Starlark control flow maps onto JS control
 * flow (if/else, loops, break/continue, return), locals onto JS variables.
 */
import type { AssignStmt, Expr, IfStmt, LoadStmt, Stmt } from "../syntax/ast.ts";
import type { FnGen } from "./codegen.ts";
import { posText } from "./constants.ts";
import { bind, emitExpr, emitLoad, emitTest, operands } from "./emit-expr.ts";
import { emitFunctionValue } from "./emit-func.ts";
import { emitLoop, STEP } from "./emit-loop.ts";
import { emitArith } from "./emit-ops.ts";
import type { LoadSpec } from "./support.ts";

/** Emits a statement list. */
export function emitBlock(g: FnGen, stmts: readonly Stmt[]): void {
  for (const s of stmts) emitStmt(g, s);
}

function emitStmt(g: FnGen, s: Stmt): void {
  switch (s.kind) {
    case "ExprStmt":
      g.emit(`${emitExpr(g, s.x)};`);
      return;
    case "Assign":
      if (s.op === "=") emitAssign(g, s.lhs, s.rhs);
      else emitAugmented(g, s);
      return;
    case "Def":
      emitStore(g, s.name, emitFunctionValue(g, s.fn!));
      return;
    case "If":
      emitIf(g, s);
      return;
    case "For":
      emitLoop(g, s.iter, s.line, s.col, (v) => emitStore(g, s.vars, v), () => emitBlock(g, s.body), storePair(g, s.vars));
      return;
    case "While":
      // The position is where a budget/deadline error in a body without calls points.
      g.emit(`${g.pos(s.line, s.col)};`);
      g.block("for (;;)", () => g.loop(() => {
        g.emit(`if (!${emitTest(g, s.cond)}) break;`);
        g.emit(STEP);
        emitBlock(g, s.body);
      }));
      return;
    case "Return":
      if (g.kind !== "function") throw new Error("internal error: return outside a function");
      g.emit(`rv = ${s.value === null ? "null" : emitExpr(g, s.value)};`);
      g.emit("th.popFrame();");
      g.emit("return rv;");
      return;
    case "Branch":
      if (s.token !== "pass") g.emit(`${s.token};`);
      return;
    case "Load":
      emitLoadStmt(g, s);
      return;
  }
}

/**
 * if/elif/else. An elif chain is a flat sequence of ifs in a labelled
 * block, not nested else-ifs: a chain of thousands of branches would
 * otherwise nest that deep in V8's parser.
 */
function emitIf(g: FnGen, s: IfStmt): void {
  if (!(s.orelse.length === 1 && s.orelse[0]!.kind === "If")) {
    g.block(`if (${emitTest(g, s.cond)})`, () => g.conditional(() => emitBlock(g, s.body)));
    if (s.orelse.length > 0) g.block("else", () => g.conditional(() => emitBlock(g, s.orelse)));
    return;
  }
  const label = g.label();
  g.block(`${label}:`, () => {
    let cur: IfStmt = s;
    for (;;) {
      g.block(`if (${emitTest(g, cur.cond)})`, () => g.conditional(() => {
        emitBlock(g, cur.body);
        g.emit(`break ${label};`);
      }));
      const next = cur.orelse.length === 1 ? cur.orelse[0]! : undefined;
      if (next?.kind !== "If") break;
      cur = next;
    }
    g.conditional(() => emitBlock(g, cur.orelse));
  });
}

/** `lhs = rhs`; `a, b = x, y` assigns through temporaries without building a tuple. */
function emitAssign(g: FnGen, lhs: Expr, rhs: Expr): void {
  if ((lhs.kind === "Tuple" || lhs.kind === "List") && rhs.kind === "Tuple" && lhs.elts.length === rhs.elts.length) {
    const temps: string[] = [];
    for (const x of rhs.elts) {
      const t = g.temp();
      temps.push(t);
      g.emit(`${t} = ${emitExpr(g, x)};`);
    }
    lhs.elts.forEach((target, i) => emitStore(g, target, temps[i]!));
    for (let i = temps.length - 1; i >= 0; i--) g.release(temps[i]!);
    return;
  }
  emitStore(g, lhs, emitExpr(g, rhs));
}

/** Assigns the value of JS expression `v` (evaluated first) to a target. */
export function emitStore(g: FnGen, lhs: Expr, v: string): void {
  switch (lhs.kind) {
    case "Ident": {
      const b = lhs.binding!;
      if (b.scope === "local") {
        g.emit(`${g.local(b.index)} = ${v};`);
        g.markAssigned(b.index);
      }
      else if (b.scope === "cell") g.emit(`${g.local(b.index)}.v = ${v};`);
      else if (b.scope === "global") {
        g.emit(`g${b.index} = ${v};`);
        g.markGlobalAssigned(b.index);
      }
      else throw new Error(`internal error: cannot assign ${b.scope}`);
      return;
    }
    case "Index": case "Dot":
      g.withTemp((t) => {
        g.emit(`${t} = ${v};`);
        const pos = g.pos(lhs.line, lhs.col);
        if (lhs.kind === "Index") {
          g.emit(`${operands(g, [() => emitExpr(g, lhs.x), () => emitExpr(g, lhs.index)],
            ([o, i]) => `(${pos}, setIndex(th, ${o}, ${i}, ${t}))`)};`);
        } else {
          g.emit(`${operands(g, [() => emitExpr(g, lhs.x)], ([o]) => `(${pos}, setField(${o}, ${g.k(lhs.name)}, ${t}))`)};`);
        }
      });
      return;
    case "Tuple": case "List":
      g.withTemp((t) => {
        const n = lhs.elts.length;
        const slow = (x: string) => `unpack(th, fr, ${x}, ${n}, ${posText(lhs.line)}, ${posText(lhs.col)})`;
        // A tuple of the right length (`for k, v in d.items()`) is unpacked inline; so is a list when
        // no target can change it while the values are stored (only names: no `l[0], x = l`).
        const seq = (x: string) => (namesOnly(lhs) ? `(${x} instanceof Tuple || ${x} instanceof List)` : `${x} instanceof Tuple`);
        g.emit(`${t} = ${bind(g, v, (x) => `(${seq(x)} && ${x}.elems.length === ${n} ? ${x}.elems : ${slow(x)})`)};`);
        lhs.elts.forEach((x, i) => emitStore(g, x, `${t}[${i}]`));
      });
      return;
    default:
      throw new Error(`internal error: cannot assign to ${lhs.kind}`);
  }
}

/** For a two-target loop variable (`for k, v in ...`), the store of both values; else undefined. */
export function storePair(g: FnGen, vars: Expr): ((k: string, v: string) => void) | undefined {
  if ((vars.kind !== "Tuple" && vars.kind !== "List") || vars.elts.length !== 2) return undefined;
  return (k, v) => {
    emitStore(g, vars.elts[0]!, k);
    emitStore(g, vars.elts[1]!, v);
  };
}

/** Whether an assignment target binds only names (possibly nested in tuples/lists). */
function namesOnly(e: Expr): boolean {
  return e.kind === "Ident" || ((e.kind === "Tuple" || e.kind === "List") && e.elts.every(namesOnly));
}

/** `lhs op= rhs`: the target's operands are evaluated once; list += extends in place. */
function emitAugmented(g: FnGen, s: AssignStmt): void {
  const op = s.op.slice(0, -1) as Parameters<typeof emitArith>[1];
  const lhs = s.lhs;
  const apply = (old: () => string) => emitArith(g, op, old, () => emitExpr(g, s.rhs), s.line, s.col, true);
  if (lhs.kind === "Ident") {
    emitStore(g, lhs, apply(() => emitLoad(g, lhs)));
    return;
  }
  const pos = g.pos(lhs.line, lhs.col);
  g.withTemp((o) => g.withTemp((k) => g.withTemp((r) => {
    g.emit(`${o} = ${emitExpr(g, lhs.kind === "Index" || lhs.kind === "Dot" ? lhs.x : lhs)};`);
    if (lhs.kind === "Index") {
      g.emit(`${k} = ${emitExpr(g, lhs.index)};`);
      g.emit(`${r} = ${apply(() => `(${pos}, getIndex(${o}, ${k}))`)};`);
      g.emit(`${pos}, setIndex(th, ${o}, ${k}, ${r});`);
    } else if (lhs.kind === "Dot") {
      const name = g.k(lhs.name);
      g.emit(`${r} = ${apply(() => `(${pos}, getAttr(th, ${o}, ${name}))`)};`);
      g.emit(`${pos}, setField(${o}, ${name}, ${r});`);
    } else {
      throw new Error(`internal error: augmented assignment to ${lhs.kind}`);
    }
  })));
}

/** `load("module", "a", b="c")`: the thread's load hook supplies the module's globals. */
function emitLoadStmt(g: FnGen, s: LoadStmt): void {
  const spec: LoadSpec = {
    module: s.module, line: s.line, col: s.col,
    names: s.from.map((f) => ({ name: f.name, line: f.line, col: f.col })),
  };
  g.withTemp((t) => {
    g.emit(`${t} = load(th, fr, ${g.k(spec)});`);
    s.to.forEach((id, i) => emitStore(g, id, `${t}[${i}]`));
  });
}
