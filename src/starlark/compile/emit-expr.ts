/**
 * Expressions to JS expressions. Every emitter returns JS text whose value
 * is the Starlark value; temporaries (`tN`) hold operands that are used
 * twice (fast path and fallback). A returned expression is self-contained:
 * the temporaries it uses are read before its value is produced, so a
 * caller may reuse them for its own (they are taken and released LIFO).
 */
import type { Expr, Ident } from "../syntax/ast.ts";
import { emitCall } from "./emit-call.ts";
import { emitComprehension } from "./emit-comp.ts";
import { emitFunctionValue } from "./emit-func.ts";
import { emitBinary, emitUnary } from "./emit-ops.ts";
import { foldInt } from "./fold.ts";
import { isAtom, writesPos, type FnGen } from "./codegen.ts";
import { intText, posText } from "./constants.ts";
import { Bytes, DictShape, ESC, Float, SMALL_TABLE, Tuple, type Value } from "./rt.ts";

/** Emits an expression. */
export function emitExpr(g: FnGen, e: Expr): string {
  switch (e.kind) {
    case "Ident":
      return emitLoad(g, e);
    case "Literal":
      if (e.type === "float") return g.k(new Float(e.value as number));
      if (typeof e.value === "number") return intText(e.value, g.m.k);
      if (e.type === "bytes") return g.k(new Bytes(e.value as Uint8Array));
      return g.k(e.value);
    case "Tuple": {
      // A tuple of constants is itself a constant (immutable, and no Starlark operation tells copies apart).
      const value = constantTuple(e);
      if (value !== null) return g.k(value);
      return `new Tuple([${e.elts.map((x) => emitExpr(g, x)).join(", ")}])`;
    }
    case "List":
      return `new List([${e.elts.map((x) => emitExpr(g, x)).join(", ")}])`;
    case "Dict":
      if (e.entries.length === 0) return "new Dict()";
      if (distinctConstantKeys(e.entries.map((en) => en.key))) {
        // Distinct string constants: no run-time duplicate check; the array becomes the dict's storage.
        const shape = e.entries.length > SMALL_TABLE ? `, ${g.k(new DictShape())}` : "";
        return `dictOfStrings(th, [${e.entries.map((en) => `${emitExpr(g, en.key)}, ${emitExpr(g, en.value)}`).join(", ")}]${shape})`;
      }
      return g.withTemp((d) => {
        const parts = e.entries.map((en) => operands(g, [() => emitExpr(g, en.key), () => emitExpr(g, en.value)],
          ([k, v]) => `dictEntry(th, fr, ${d}, ${k}, ${v}, ${posText(en.key.line)}, ${posText(en.key.col)})`));
        return `(${[`${d} = new Dict()`, ...parts, d].join(", ")})`;
      });
    case "Unary": case "Binary": {
      const c = foldInt(e);
      if (c !== null) return typeof c === "number" ? intText(c, g.m.k) : g.k(c);
      return e.kind === "Unary" ? emitUnary(g, e) : emitBinary(g, e);
    }
    case "Cond":
      return `(${emitTest(g, e.cond)} ? ${emitExpr(g, e.then)} : ${emitExpr(g, e.else)})`;
    case "Index":
      if (!g.hot) {
        return operands(g, [() => emitExpr(g, e.x), () => emitExpr(g, e.index)],
          ([a, i]) => `(${g.pos(e.line, e.col)}, getIndex(${a}, ${i}))`);
      }
      if (e.index.kind === "Literal" && e.index.type === "string" && !(e.index.value as string).startsWith(ESC)) {
        // d["field"]: a string constant is its own dict key (hashing.ts), so the table is asked directly.
        const k = g.k(e.index.value);
        return bind(g, emitExpr(g, e.x), (a) => g.withTemp((v) =>
          `(${a} instanceof Dict && (${v} = ${a}.get(${k})) !== undefined ? ${v} : (${g.pos(e.line, e.col)}, getIndex(${a}, ${k})))`));
      }
      return emitSeqIndex(g, e);
    case "Slice": {
      const part = (p: Expr | null) => () => (p === null ? "null" : emitExpr(g, p));
      return operands(g, [() => emitExpr(g, e.x), part(e.lo), part(e.hi), part(e.step)],
        ([x, lo, hi, st]) => `(${g.pos(e.line, e.col)}, slice(${x}, ${lo}, ${hi}, ${st}, th))`);
    }
    case "Dot":
      return operands(g, [() => emitExpr(g, e.x)], ([x]) => `(${g.pos(e.line, e.col)}, getAttr(th, ${x}, ${g.k(e.name)}))`);
    case "Call":
      return emitCall(g, e);
    case "Lambda":
      return emitFunctionValue(g, e.fn!);
    case "Comprehension":
      return emitComprehension(g, e);
  }
}

/**
 * `x[i]` of a list or tuple inline: a non-negative int index, or a constant
 * negative one (`x[-1]`) counted from the end; anything else (and every
 * error) through the runtime's getIndex.
 */
function emitSeqIndex(g: FnGen, e: Expr & { kind: "Index" }): string {
  const seq = (a: string) => `(${a} instanceof List || ${a} instanceof Tuple)`;
  const i = e.index;
  const back = i.kind === "Unary" && i.op === "-" && i.x.kind === "Literal" && i.x.type === "int" && typeof i.x.value === "number" && i.x.value > 0
    && i.x.value < 2 ** 31 ? i.x.value : 0;
  if (back > 0) {
    return bind(g, emitExpr(g, e.x), (a) => `(${seq(a)} && ${a}.elems.length >= ${back} ? ${a}.elems[${a}.elems.length - ${back}]`
      + ` : (${g.pos(e.line, e.col)}, getIndex(${a}, ${intText(-back, g.m.k)})))`);
  }
  return bind(g, emitExpr(g, e.x), (a) => bind(g, emitExpr(g, i), (j) =>
    `(${seq(a)} && typeof ${j} === 'number' && ${j} >= 0 && ${j} < ${a}.elems.length ? ${a}.elems[${j}]`
    + ` : (${g.pos(e.line, e.col)}, getIndex(${a}, ${j})))`));
}

/** The value of a non-empty tuple of literals (nested such tuples included), or null. */
function constantTuple(e: Expr): Tuple | null {
  if (e.kind !== "Tuple" || e.elts.length === 0) return null;
  const values: Value[] = [];
  for (const x of e.elts) {
    if (x.kind === "Literal") {
      values.push(x.type === "float" ? new Float(x.value as number) : x.type === "bytes" ? new Bytes(x.value as Uint8Array) : x.value as Value);
    } else {
      const t = constantTuple(x);
      if (t === null) return null;
      values.push(t);
    }
  }
  return new Tuple(values);
}

/** Whether all keys are string literals, pairwise distinct. */
function distinctConstantKeys(keys: readonly Expr[]): boolean {
  const seen = new Set<unknown>();
  for (const k of keys) {
    if (k.kind !== "Literal" || k.type !== "string" || seen.has(k.value)) return false;
    seen.add(k.value);
  }
  return true;
}

/** A JS boolean for Starlark truth of e; comparisons and `not` need no truth() call. */
export function emitTest(g: FnGen, e: Expr): string {
  if (e.kind === "Unary" && e.op === "not") return `!${emitTest(g, e.x)}`;
  if (e.kind === "Binary") {
    switch (e.op) {
      case "==": case "!=": case "<": case "<=": case ">": case ">=": case "in": case "not in":
        return emitBinary(g, e);
      case "and": case "or": {
        // Flat over the left spine (a and b and c), like emitBinary.
        const parts: Expr[] = [];
        let cur: Expr = e;
        while (cur.kind === "Binary" && cur.op === e.op) {
          parts.push(cur.y);
          cur = cur.x;
        }
        parts.push(cur);
        return `(${parts.reverse().map((p) => emitTest(g, p)).join(e.op === "and" ? " && " : " || ")})`;
      }
    }
  }
  return bind(g, emitExpr(g, e), (v) => truthOf(v));
}

/** Truth of an atom. */
export function truthOf(v: string): string {
  return `(typeof ${v} === 'boolean' ? ${v} : truth(${v}))`;
}

/** Reads a resolved identifier, failing if it is unbound. */
export function emitLoad(g: FnGen, id: Ident): string {
  const b = id.binding!;
  const unbound = (kind: string, v: string) =>
    `(${v} !== undefined ? ${v} : failAt(fr, ${id.line}, ${id.col}, ${g.k(`${kind} variable ${b.name} referenced before assignment`)}))`;
  switch (b.scope) {
    case "local": {
      const l = g.local(b.index);
      return g.mayBeUnbound(b.index) ? unbound("local", l) : l;
    }
    case "cell":
      return unbound("local", `${g.local(b.index)}.v`);
    case "free":
      return unbound("local", `${g.freeVar(b.index)}.v`);
    case "global":
      return g.globalMayBeUnbound(b.index) ? unbound("global", `g${b.index}`) : `g${b.index}`;
    case "predeclared": case "universal": {
      const table = b.scope === "predeclared" ? g.m.predeclared : g.m.universe;
      if (!Object.hasOwn(table, b.name)) throw new Error(`internal error: ${b.scope} name has no value`);
      return valueText(g, table[b.name]!);
    }
    case "undefined":
      throw new Error("internal error: compiling an unresolved name");
  }
}

/** JS text for a compile-time value: literals for None/True/False, else a constant. */
export function valueText(g: FnGen, v: Value): string {
  return v === null ? "null" : v === true ? "true" : v === false ? "false" : g.k(v);
}

/**
 * Binds `js` to an atom for `f`: itself if it is one, else a temporary
 * held while `f` emits (so `f` may emit further operands safely). An int
 * literal is passed parenthesized (`(5).x` parses, `5.x` does not) unless
 * `rawDigits` says `f` applies no property access to it.
 */
export function bind(g: FnGen, js: string, f: (atom: string) => string, rawDigits = false): string {
  if (isAtom(js)) return f(!rawDigits && /^[0-9]/.test(js) ? `(${js})` : js);
  return g.withTemp((t) => `(${t} = ${js}, ${f(t)})`);
}

/** Binds each expression to an atom, in order (see bind), then `f`. */
export function bindAll(g: FnGen, es: readonly Expr[], f: (vals: string[]) => string, rawDigits = false, i = 0, vals: string[] = []): string {
  if (i === es.length) return f(vals);
  return bind(g, emitExpr(g, es[i]!), (v) => bindAll(g, es, f, rawDigits, i + 1, [...vals, v]), rawDigits);
}

/**
 * Evaluates operands in order, then `f`. `f` typically writes the position
 * and calls the runtime; an operand that itself writes a position (a call,
 * another fallible operation) must run before that, so operands up to the
 * last such one go to temporaries first, later ones are evaluated in place
 * (keeping the order). A temporary is reserved for every operand before it
 * is emitted, so later operands cannot clobber an earlier one's.
 */
export function operands(g: FnGen, parts: ReadonlyArray<() => string>, f: (vals: string[]) => string): string {
  const temps: string[] = [];
  const codes: string[] = [];
  for (const p of parts) {
    temps.push(g.temp());
    codes.push(p());
  }
  let last = -1;
  codes.forEach((c, i) => {
    if (writesPos(c)) last = i;
  });
  const pre: string[] = [];
  const vals = codes.map((c, i) => {
    if (i > last || isAtom(c)) return c;
    pre.push(`${temps[i]} = ${c}`);
    return temps[i]!;
  });
  const body = f(vals);
  for (let i = temps.length - 1; i >= 0; i--) g.release(temps[i]!);
  return pre.length === 0 ? body : `(${pre.join(", ")}, ${body})`;
}
