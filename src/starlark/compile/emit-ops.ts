/**
 * Unary and binary operators. Ints in the safe range, and strings for `+`
 * and `==`, are handled inline (no call, no allocation); anything else, or
 * a result outside the safe integer range, goes to the runtime's operator
 * (which makes bigints), with the operator's position written first. A
 * bigint with an int goes to the int function itself (values/int.ts).
 */
import type { BinaryExpr, BinaryOp, Expr, UnaryExpr } from "../syntax/ast.ts";
import type { FnGen } from "./codegen.ts";
import { bind, emitExpr, emitTest, operands, truthOf } from "./emit-expr.ts";
import { emitFormat, isFormat } from "./emit-format.ts";
import { foldInt } from "./fold.ts";

/** Largest safe integer, as text: results beyond it are recomputed by the runtime as bigints. */
const MAX = "9007199254740991";
/** 2^52. */
const MAX52 = "4503599627370496";

/**
 * Runtime function per arithmetic operator, whether it takes the thread, and
 * the int function (values/int.ts) called directly when an operand is a bigint.
 */
const RUNTIME_OP: Partial<Record<BinaryOp, readonly [string, boolean, string | null]>> = {
  "+": ["add", true, "intAdd"], "-": ["sub", false, "intSub"], "*": ["mul", true, "intMul"], "/": ["div", false, null],
  "//": ["floorDiv", false, "intFloorDiv"], "%": ["mod", true, "intMod"], "&": ["bitAnd", false, "intAnd"],
  "|": ["bitOr", true, "intOr"], "^": ["bitXor", true, "intXor"], "<<": ["shl", false, "intShl"], ">>": ["shr", false, "intShr"],
};

/**
 * The left spine of a chain such as `a + b - c` or `a and b and c`:
 * [a, b, c] with the operators. Long chains are emitted as a flat JS
 * sequence, so the emitter's recursion (and V8's) does not grow with them.
 */
function chain(e: BinaryExpr, same: (b: BinaryExpr) => boolean): { first: Expr; links: BinaryExpr[] } {
  const links: BinaryExpr[] = [];
  let cur: Expr = e;
  while (cur.kind === "Binary" && same(cur)) {
    links.push(cur);
    cur = cur.x;
  }
  return { first: cur, links: links.reverse() };
}

/** Emits a binary expression. */
export function emitBinary(g: FnGen, e: BinaryExpr): string {
  const x = () => emitExpr(g, e.x), y = () => emitExpr(g, e.y);
  switch (e.op) {
    case "and": case "or": {
      // (acc = a, truth(acc) && (acc = b, truth(acc)) && ..., acc): stops at the deciding operand.
      const { first, links } = chain(e, (b) => b.op === e.op);
      const join = e.op === "and" ? " && " : " || ";
      return g.withTemp((acc) => {
        const test = (js: string) => `(${acc} = ${js}, ${truthOf(acc)})`;
        const tests = [test(emitExpr(g, first)), ...links.map((l) => test(emitExpr(g, l.y)))];
        return `(${tests.join(join)}, ${acc})`;
      });
    }
    case "==": case "!=": {
      const neg = e.op === "!=" ? "!" : "";
      if (!g.hot) return operands(g, [x, y], ([a, b]) => `${neg}(${g.pos(e.line, e.col)}, equals(${a}, ${b}, th))`);
      return bind(g, x(), (a) => bind(g, y(), (b) => {
        const slow = `${neg}(${g.pos(e.line, e.col)}, equals(${a}, ${b}, th))`;
        const same = `${a} ${neg === "" ? "===" : "!=="} ${b}`;
        const lit = literalType(e.y);
        if (lit !== null) return `(typeof ${a} === '${lit}' ? ${same} : ${slow})`;
        return `((typeof ${a} === 'number' && typeof ${b} === 'number') || (typeof ${a} === 'string' && typeof ${b} === 'string') ? ${same} : ${slow})`;
      }));
    }
    case "<": case "<=": case ">": case ">=":
      if (!g.hot) return operands(g, [x, y], ([a, b]) => `(${g.pos(e.line, e.col)}, compare(${g.k(e.op)}, ${a}, ${b}, th))`);
      return bind(g, x(), (a) => bind(g, y(), (b) =>
        `(typeof ${a} === 'number' && typeof ${b} === 'number' ? ${a} ${e.op} ${b}`
        + ` : (${g.pos(e.line, e.col)}, compare(${g.k(e.op)}, ${a}, ${b}, th)))`));
    case "in": case "not in":
      return bind(g, x(), (a) => bind(g, y(), (b) =>
        `${e.op === "in" ? "" : "!"}(${g.pos(e.line, e.col)}, contains(${b}, ${a}, th))`));
    default: {
      if (isFormat(e) && g.hot) return emitFormat(g, e) ?? emitArith(g, e.op, x, y, e.line, e.col, false);
      // A hot constant format inside the chain is emitted by emitFormat, and a constant int
      // (`(1 << 100) + r`) as folded, as operands.
      const { first, links } = chain(e, (b) => b.op in RUNTIME_OP && (b === e || (!(g.hot && isFormat(b)) && foldInt(b) === null)));
      if (links.length === 1) return emitArith(g, e.op, x, y, e.line, e.col, false);
      return g.withTemp((acc) => {
        const steps = [`${acc} = ${emitExpr(g, first)}`, ...links.map((l) =>
          `${acc} = ${emitArith(g, l.op, () => acc, () => emitExpr(g, l.y), l.line, l.col, false)}`)];
        return `(${steps.join(", ")}, ${acc})`;
      });
    }
  }
}

/** The typeof tag of an int or string literal, or null. */
function literalType(e: Expr): "number" | "string" | null {
  if (e.kind !== "Literal") return null;
  return e.type === "int" && typeof e.value === "number" ? "number" : e.type === "string" ? "string" : null;
}

/**
 * `x op y` for the arithmetic and bitwise operators; with `augmented`, the
 * fallback of `+=` and `|=` is the runtime's `augmented` (list `+=` extends
 * in place, dict `|=` updates in place).
 * Operands are thunks so each is emitted in evaluation order.
 */
export function emitArith(g: FnGen, op: BinaryOp, x: () => string, y: () => string, line: number, col: number, augmented: boolean): string {
  const [fn, withThread, intFn] = RUNTIME_OP[op] ?? fail();
  // Only `+=` (lists extend) and `|=` (dicts update) differ from the plain operator in place.
  const inPlace = augmented && (op === "+" || op === "|");
  const call = (a: string, b: string) => (inPlace ? `augmented(${g.k(op)}, ${a}, ${b}, th)` : `${fn}(${a}, ${b}${withThread ? ", th" : ""})`);
  if (!g.hot) return operands(g, [x, y], ([a, b]) => `(${g.pos(line, col)}, ${call(a!, b!)})`);
  return bind(g, x(), (a) => bind(g, y(), (b) => g.withTemp((r) => {
    const ka = knownType(g, a), kb = knownType(g, b);
    // A bigint with an int (big ints, or a small int result that overflowed) goes straight to the
    // int function: the runtime's operator would first test for floats, strings and sequences.
    const big = intFn === null ? null : op === "<<" ? intPair(a, ka, b, kb) : bigintPair(a, ka, b, kb);
    const slow = `(${g.pos(line, col)}, ${big === null ? call(a, b) : big === "true" ? `${intFn}(${a}, ${b})`
      : `${big} ? ${intFn}(${a}, ${b}) : ${call(a, b)}`})`;
    // A constant bigint operand (`x % 340282366920938463463374607431768211507`) rules out the small-int paths.
    if (ka === "bigint" || kb === "bigint") return slow;
    // Known small ints (digits, pooled numbers, range counters) need no type test.
    const isInt = (v: string, k: KnownType) => (k === "number" ? [] : [`typeof ${v} === 'number'`]);
    const ints = [...isInt(a, ka), ...isInt(b, kb)].join(" && ") || "true";
    const int32 = `(${a} | 0) === ${a} && (${b} | 0) === ${b}`;
    const safe = `${r} <= ${MAX} && ${r} >= -${MAX}`;
    const literal = ka === "number" || kb === "number";
    // Two floats: inline too, so that V8 can drop the intermediate Float of `a * b + c`.
    const float = (jsOp: string) => (literal ? slow
      : `(${a} instanceof Float && ${b} instanceof Float ? new Float(${a}.value ${jsOp} ${b}.value) : ${slow})`);
    switch (op) {
      case "+":
        if (literal) return `(${ints} && (${r} = ${a} + ${b}, ${safe}) ? ${r} : ${slow})`;
        return `(${ints} && (${r} = ${a} + ${b}, ${safe}) ? ${r}`
          + ` : typeof ${a} === 'string' && typeof ${b} === 'string' && ${a}.length + ${b}.length <= th.limits.maxStringLength`
          + ` ? ${a} + ${b} : ${float("+")})`;
      case "-":
        return `(${ints} && (${r} = ${a} - ${b}, ${safe}) ? ${r} : ${float("-")})`;
      case "*":
        // An exact product below 2^53 is computed exactly; `+ 0` turns -0 into 0.
        return `(${ints} && (${r} = ${a} * ${b}, ${safe}) ? ${r} + 0 : ${float("*")})`;
      case "/":
        // Always a float: of two ints (exact below 2^53, as float(a) / float(b)) or two floats, unless by zero.
        return `(${ints} && ${b} !== 0 ? new Float(${a} / ${b}) : ${literal ? slow
          : `${a} instanceof Float && ${b} instanceof Float && ${b}.value !== 0 ? new Float(${a}.value / ${b}.value) : ${slow}`})`;
      case "//":
        // For |a| <= 2^52 the float quotient's rounding error is below 1/(2|b|), less than the
        // distance from a non-integral a/b to the next integer, so floor is exact. `+ 0`: no -0.
        return `(${ints} && ${b} !== 0 && ${a} <= ${MAX52} && ${a} >= -${MAX52} ? floor(${a} / ${b}) + 0 : ${slow})`;
      case "%":
        // JS % truncates; Starlark's result takes the sign of the divisor.
        return `(${ints} && ${b} !== 0 ? (${r} = ${a} % ${b}, ${r} !== 0 && (${r} < 0) !== (${b} < 0) ? ${r} + ${b} : ${r} + 0) : ${slow})`;
      case "&": case "|": case "^":
        return `(${ints} && ${int32} ? ${a} ${op} ${b} : ${slow})`;
      case ">>":
        return `(${ints} && ${int32} && ${b} >= 0 && ${b} < 32 ? ${a} >> ${b} : ${slow})`;
      default:
        return slow;
    }
  }), true), true);
}

type KnownType = "number" | "bigint" | null;

/** The type of an operand atom known to be an int: digits, a pooled number or bigint, a range loop's counter. */
function knownType(g: FnGen, atom: string): KnownType {
  if (/^[0-9]+$/.test(atom)) return "number";
  if (/^l[0-9]+$/.test(atom) && g.knownInts.has(Number(atom.slice(1)))) return "number";
  const v = g.m.k.pooled(atom);
  return typeof v === "number" ? "number" : typeof v === "bigint" ? "bigint" : null;
}

/** JS test that an operand is an int of either representation. */
const intTest = (v: string) => `(typeof ${v} === 'bigint' || typeof ${v} === 'number')`;

/**
 * JS test, past the small-int path, that both operands are ints and one of them may be a bigint,
 * given what is known of their types ("true" when both are known ints). Of two unknown operands
 * only the left is tested for a bigint (`3 * big` takes the runtime's path).
 */
function bigintPair(a: string, ka: KnownType, b: string, kb: KnownType): string {
  if (ka !== null && kb !== null) return "true";
  if (ka !== null) return ka === "bigint" ? intTest(b) : `typeof ${b} === 'bigint'`;
  if (kb !== null) return kb === "bigint" ? intTest(a) : `typeof ${a} === 'bigint'`;
  return `typeof ${a} === 'bigint' && ${intTest(b)}`;
}

/** JS test that both operands are ints: `<<` has no inline path, and `i << 64` makes a bigint of two small ints. */
function intPair(a: string, ka: KnownType, b: string, kb: KnownType): string {
  const tests = [...(ka === null ? [intTest(a)] : []), ...(kb === null ? [intTest(b)] : [])];
  return tests.length === 0 ? "true" : tests.join(" && ");
}

function fail(): never {
  throw new Error("internal error: not an arithmetic operator");
}

/** Emits a unary expression. */
export function emitUnary(g: FnGen, e: UnaryExpr): string {
  if (e.op === "not") return `!${emitTest(g, e.x)}`;
  return bind(g, emitExpr(g, e.x), (a) => {
    const slow = `(${g.pos(e.line, e.col)}, unary(${g.k(e.op)}, ${a}))`;
    if (!g.hot) return slow;
    if (e.op === "-") return `(typeof ${a} === 'number' && ${a} !== 0 ? -${a} : ${slow})`;
    if (e.op === "~") return `(typeof ${a} === 'number' && (${a} | 0) === ${a} ? ~${a} : ${slow})`;
    return slow;
  });
}
