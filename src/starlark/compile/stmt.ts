/**
 * Compilation of statements into closures returning a control signal
 * (NORMAL, BREAK, CONTINUE, RETURN). Loops charge one step per iteration.
 */
import type { AssignStmt, Expr, ForStmt, IfStmt, Stmt } from "../syntax/ast.ts";
import { compileStore } from "./assign.ts";
import type { Ctx } from "./context.ts";
import { BREAK, CONTINUE, NORMAL, RETURN, type Ev, type Ex, type Store } from "./env.ts";
import { compileExpr } from "./expr.ts";
import { compileFunctionValue } from "./function.ts";
import { compileLoadStmt } from "./load.ts";
import { compileLoad, compileStoreName, localSlot } from "./names.ts";
import { fetch, operand } from "./operand.ts";
import { at } from "./position.ts";
import {
  augmented, getAttr, getIndex, iterate, Range, setField, setIndex, truth, type BinaryOp, type Value,
} from "./rt.ts";

const MAX = Number.MAX_SAFE_INTEGER;

/** Compiles a statement list into one closure. */
export function compileBlock(stmts: Stmt[], cx: Ctx): Ex {
  const xs = stmts.map((s) => compileStmt(s, cx));
  switch (xs.length) {
    case 0:
      return () => NORMAL;
    case 1:
      return xs[0]!;
    case 2: {
      const [a, b] = xs as [Ex, Ex];
      return (env) => {
        const s = a(env);
        return s !== NORMAL ? s : b(env);
      };
    }
    default:
      return (env) => {
        for (let i = 0; i < xs.length; i++) {
          const s = xs[i]!(env);
          if (s !== NORMAL) return s;
        }
        return NORMAL;
      };
  }
}

function compileStmt(s: Stmt, cx: Ctx): Ex {
  switch (s.kind) {
    case "ExprStmt": {
      const x = compileExpr(s.x, cx);
      return (env) => {
        x(env);
        return NORMAL;
      };
    }
    case "Assign":
      return s.op === "=" ? compileAssign(s.lhs, s.rhs, cx) : compileAugmented(s, cx);
    case "Def": {
      const make = compileFunctionValue(s.fn!, cx), store = compileStoreName(s.name, cx);
      return (env) => {
        store(env, make(env));
        return NORMAL;
      };
    }
    case "If":
      return compileIf(s, cx);
    case "For":
      return compileFor(s, cx);
    case "While": {
      const c = compileExpr(s.cond, cx), body = compileBlock(s.body, cx);
      const line = s.line, col = s.col;
      return (env) => {
        const thread = env.thread;
        at(env, line, col); // a budget/deadline error in a body without calls points here
        for (;;) {
          const v = c(env);
          if (!(typeof v === "boolean" ? v : truth(v))) return NORMAL;
          thread.step();
          const sig = body(env);
          if (sig === BREAK) return NORMAL;
          if (sig === RETURN) return RETURN;
        }
      };
    }
    case "Return": {
      if (s.value === null) {
        return (env) => {
          env.ret = null;
          return RETURN;
        };
      }
      const v = compileExpr(s.value, cx);
      return (env) => {
        env.ret = v(env);
        return RETURN;
      };
    }
    case "Branch": {
      const sig = s.token === "break" ? BREAK : s.token === "continue" ? CONTINUE : NORMAL;
      return () => sig;
    }
    case "Load":
      return compileLoadStmt(s, cx);
  }
}

/** if/elif/else: an elif chain becomes one closure testing each condition in turn. */
function compileIf(s: IfStmt, cx: Ctx): Ex {
  const conds: Ev[] = [], bodies: Ex[] = [];
  let cur = s;
  for (;;) {
    conds.push(compileExpr(cur.cond, cx));
    bodies.push(compileBlock(cur.body, cx));
    const next = cur.orelse.length === 1 ? cur.orelse[0] : undefined;
    if (next?.kind !== "If") break;
    cur = next;
  }
  const orelse = compileBlock(cur.orelse, cx);
  if (conds.length === 1) {
    const [c] = conds as [Ev], [t] = bodies as [Ex];
    return (env) => {
      const v = c(env);
      return (typeof v === "boolean" ? v : truth(v)) ? t(env) : orelse(env);
    };
  }
  return (env) => {
    for (let i = 0; i < conds.length; i++) {
      const v = conds[i]!(env);
      if (typeof v === "boolean" ? v : truth(v)) return bodies[i]!(env);
    }
    return orelse(env);
  };
}

/** `lhs = rhs`; `a, b = x, y` assigns through temporaries without building a tuple. */
function compileAssign(lhs: Expr, rhs: Expr, cx: Ctx): Ex {
  if ((lhs.kind === "Tuple" || lhs.kind === "List") && rhs.kind === "Tuple" && lhs.elts.length === rhs.elts.length) {
    const values = rhs.elts.map((x) => compileExpr(x, cx));
    const stores = lhs.elts.map((x) => compileStore(x, cx));
    if (values.length === 2) {
      const [v0, v1] = values as [Ev, Ev];
      const i0 = localSlot(lhs.elts[0]!), i1 = localSlot(lhs.elts[1]!);
      if (i0 >= 0 && i1 >= 0) {
        return (env) => {
          const a = v0(env), b = v1(env);
          env.locals[i0] = a;
          env.locals[i1] = b;
          return NORMAL;
        };
      }
      const [s0, s1] = stores as [Store, Store];
      return (env) => {
        const a = v0(env), b = v1(env);
        s0(env, a);
        s1(env, b);
        return NORMAL;
      };
    }
    return (env) => {
      const tmp = values.map((v) => v(env));
      for (let i = 0; i < stores.length; i++) stores[i]!(env, tmp[i]!);
      return NORMAL;
    };
  }
  const v = compileExpr(rhs, cx);
  const slot = localSlot(lhs);
  if (slot >= 0) {
    return (env) => {
      env.locals[slot] = v(env);
      return NORMAL;
    };
  }
  const store = compileStore(lhs, cx);
  return (env) => {
    store(env, v(env));
    return NORMAL;
  };
}

/** `lhs op= rhs`: the target's operands are evaluated once; list += extends in place. */
function compileAugmented(s: AssignStmt, cx: Ctx): Ex {
  const op = s.op.slice(0, -1) as BinaryOp;
  const rhs = compileExpr(s.rhs, cx);
  const line = s.line, col = s.col;
  const apply = (env: Parameters<Ex>[0], x: Value, y: Value): Value => {
    if (typeof x === "number" && typeof y === "number") {
      const r = op === "+" ? x + y : op === "-" ? x - y : NaN;
      if (r <= MAX && r >= -MAX) return r;
    }
    at(env, line, col);
    return augmented(op, x, y, env.thread);
  };
  const lhs = s.lhs;
  const slot = localSlot(lhs);
  if (slot >= 0) {
    const target = operand(lhs, cx);
    return (env) => {
      const x = fetch(env, target);
      env.locals[slot] = apply(env, x, rhs(env));
      return NORMAL;
    };
  }
  if (lhs.kind === "Ident") {
    const load = compileLoad(lhs, cx), store = compileStoreName(lhs, cx);
    return (env) => {
      const x = load(env);
      store(env, apply(env, x, rhs(env)));
      return NORMAL;
    };
  }
  if (lhs.kind === "Index") {
    const x = compileExpr(lhs.x, cx), i = compileExpr(lhs.index, cx);
    return (env) => {
      const o = x(env), k = i(env);
      at(env, lhs.line, lhs.col);
      const old = getIndex(o, k);
      const v = apply(env, old, rhs(env));
      at(env, lhs.line, lhs.col);
      setIndex(env.thread, o, k, v);
      return NORMAL;
    };
  }
  if (lhs.kind === "Dot") {
    const x = compileExpr(lhs.x, cx), name = lhs.name;
    return (env) => {
      const o = x(env);
      at(env, lhs.line, lhs.col);
      const v = apply(env, getAttr(env.thread, o, name), rhs(env));
      at(env, lhs.line, lhs.col);
      setField(o, name, v);
      return NORMAL;
    };
  }
  throw new Error(`internal error: augmented assignment to ${lhs.kind}`);
}

/** `for vars in iter:` — ranges iterate arithmetically, without an iterator object. */
function compileFor(s: ForStmt, cx: Ctx): Ex {
  const iter = compileExpr(s.iter, cx), store = compileStore(s.vars, cx), body = compileBlock(s.body, cx);
  const line = s.line, col = s.col, slot = localSlot(s.vars);
  return (env) => {
    const x = iter(env);
    const thread = env.thread;
    at(env, line, col);
    if (x instanceof Range) {
      for (let k = 0; k < x.len; k++) {
        thread.step();
        if (slot >= 0) env.locals[slot] = x.start + x.step * k;
        else store(env, x.start + x.step * k);
        const sig = body(env);
        if (sig === BREAK) break;
        if (sig === RETURN) return RETURN;
      }
      return NORMAL;
    }
    const it = iterate(thread, x);
    try {
      for (let v = it.next(); v !== undefined; v = it.next()) {
        thread.step();
        if (slot >= 0) env.locals[slot] = v;
        else store(env, v);
        const sig = body(env);
        if (sig === BREAK) break;
        if (sig === RETURN) return RETURN;
      }
    } finally {
      it.done();
    }
    return NORMAL;
  };
}
