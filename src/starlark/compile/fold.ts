/**
 * Constant folding of int expressions: `(1 << 120) - 1` or `-5` is computed
 * once at compile time, as CPython's compiler does, instead of on every
 * evaluation (a big constant otherwise costs a bigint shift and subtraction
 * each time round a loop). Only ints are folded, with the runtime's own int
 * arithmetic, so the value is exactly what the program would compute; an
 * expression that would fail (division by zero, a negative shift, an int
 * beyond the size cap) is left to fail at run time, at its position.
 */
import type { BinaryExpr, Expr } from "../syntax/ast.ts";
import { ints as I, StarlarkError } from "./rt.ts";

type IntOp = (x: I.Int, y: I.Int) => I.Int;

const BINARY: Partial<Record<string, IntOp>> = {
  "+": I.add, "-": I.sub, "*": I.mul, "//": I.floorDiv, "%": I.mod,
  "&": I.and, "|": I.or, "^": I.xor, "<<": I.shl, ">>": I.shr,
};

const UNARY: Partial<Record<string, (x: I.Int) => I.Int>> = { "-": I.neg, "+": (x) => x, "~": I.invert };

/** Results per node, so that folding a deep expression that turns out not constant stays linear. */
const memo = new WeakMap<Expr, I.Int | null>();

/** The int value of `e` if it is an int computed from int literals alone, else null. */
export function foldInt(e: Expr): I.Int | null {
  if (e.kind === "Literal") return e.type === "int" ? (e.value as I.Int) : null;
  const known = memo.get(e);
  if (known !== undefined) return known;
  if (e.kind === "Unary") {
    const op = UNARY[e.op], x = op === undefined ? null : foldInt(e.x);
    const v = op === undefined || x === null ? null : op(x);
    memo.set(e, v);
    return v;
  }
  if (e.kind !== "Binary" || BINARY[e.op] === undefined) return null;
  // The left spine of `a + b - c ...` is walked in a loop, as emitBinary does: a chain of
  // thousands of terms must not deepen the recursion.
  const spine: BinaryExpr[] = [];
  let cur: Expr = e;
  while (cur.kind === "Binary" && BINARY[cur.op] !== undefined && !memo.has(cur)) {
    spine.push(cur);
    cur = cur.x;
  }
  let v = foldInt(cur);
  for (let i = spine.length - 1; i >= 0; i--) {
    const b = spine[i]!;
    const y = v === null ? null : foldInt(b.y);
    v = v === null || y === null ? null : attempt(BINARY[b.op]!, v, y);
    memo.set(b, v);
  }
  return v;
}

function attempt(op: IntOp, x: I.Int, y: I.Int): I.Int | null {
  try {
    return op(x, y);
  } catch (err) {
    if (err instanceof StarlarkError) return null;
    throw err;
  }
}
