/**
 * Compilation of unary and binary operators. Each operator gets its own
 * closure with an inline fast path for small ints (no allocation, no call)
 * before falling back to the runtime's generic operation.
 */
import type { BinaryOp as AstBinaryOp, UnaryOp as AstUnaryOp } from "../syntax/ast.ts";
import type { Ev } from "./env.ts";
import { fetch, type Operand } from "./operand.ts";
import { at } from "./position.ts";
import { binary, compare, equals, truth, unary, type BinaryOp, type CompareOp, type Value } from "./rt.ts";

const MAX = Number.MAX_SAFE_INTEGER;
const MIN = -MAX;

/**
 * Compiles `x op y` (x, y already compiled); line/col locate the operator.
 *
 * Operands are read through `fetch` (see operand.ts).
 */
export function compileBinary(op: AstBinaryOp, x: Operand, y: Operand, line: number, col: number): Ev {
  switch (op) {
    case "and":
      return (env) => {
        const a = fetch(env, x);
        return (typeof a === "boolean" ? a : truth(a)) ? fetch(env, y) : a;
      };
    case "or":
      return (env) => {
        const a = fetch(env, x);
        return (typeof a === "boolean" ? a : truth(a)) ? a : fetch(env, y);
      };
    case "==":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        if (typeof a === typeof b && (typeof a === "number" || typeof a === "string")) return a === b;
        at(env, line, col);
        return equals(a, b, env.thread);
      };
    case "!=":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        if (typeof a === typeof b && (typeof a === "number" || typeof a === "string")) return a !== b;
        at(env, line, col);
        return !equals(a, b, env.thread);
      };
    case "<": case "<=": case ">": case ">=":
      return compileOrder(op, x, y, line, col);
    case "+":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        if (typeof a === "number" && typeof b === "number") {
          const r = a + b;
          if (r <= MAX && r >= MIN) return r;
        } else if (typeof a === "string" && typeof b === "string" && a.length + b.length <= env.thread.limits.maxStringLength) {
          return a + b;
        }
        at(env, line, col);
        return binary("+", a, b, env.thread);
      };
    case "-":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        if (typeof a === "number" && typeof b === "number") {
          const r = a - b;
          if (r <= MAX && r >= MIN) return r;
        }
        at(env, line, col);
        return binary("-", a, b, env.thread);
      };
    case "*":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        if (typeof a === "number" && typeof b === "number") {
          const r = a * b;
          // An exact product below 2^53 is computed exactly; otherwise use bigints. (-0 is 0.)
          if (r <= MAX && r >= MIN) return r + 0;
        }
        at(env, line, col);
        return binary("*", a, b, env.thread);
      };
    case "//":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        // Within int32 the float quotient is exact enough for floor to be right.
        if (typeof a === "number" && typeof b === "number" && b !== 0 && (a | 0) === a && (b | 0) === b) {
          return Math.floor(a / b) + 0;
        }
        at(env, line, col);
        return binary("//", a, b, env.thread);
      };
    case "%":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        if (typeof a === "number" && typeof b === "number" && b !== 0) {
          // Separate int32 and double sites keep V8's integer modulus for small ints.
          if ((a | 0) === a && (b | 0) === b) {
            const r = a % b;
            return r !== 0 && (r < 0) !== (b < 0) ? r + b : r + 0;
          }
          const r = a % b;
          return (r !== 0 && (r < 0) !== (b < 0) ? r + b : r) + 0;
        }
        at(env, line, col);
        return binary("%", a, b, env.thread);
      };
    default:
      return generic(op, x, y, line, col);
  }
}

/** Operators without a fast path worth inlining. */
function generic(op: BinaryOp, x: Operand, y: Operand, line: number, col: number): Ev {
  return (env) => {
    const a = fetch(env, x), b = fetch(env, y);
    at(env, line, col);
    return binary(op, a, b, env.thread);
  };
}

function compileOrder(op: CompareOp, x: Operand, y: Operand, line: number, col: number): Ev {
  const slow = (env: Parameters<Ev>[0], a: Value, b: Value): boolean => {
    at(env, line, col);
    return compare(op, a, b, env.thread);
  };
  switch (op) {
    case "<":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        return typeof a === "number" && typeof b === "number" ? a < b : slow(env, a, b);
      };
    case "<=":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        return typeof a === "number" && typeof b === "number" ? a <= b : slow(env, a, b);
      };
    case ">":
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        return typeof a === "number" && typeof b === "number" ? a > b : slow(env, a, b);
      };
    default:
      return (env) => {
        const a = fetch(env, x), b = fetch(env, y);
        return typeof a === "number" && typeof b === "number" ? a >= b : slow(env, a, b);
      };
  }
}

/** Compiles a unary operator. */
export function compileUnary(op: AstUnaryOp, x: Ev, line: number, col: number): Ev {
  if (op === "not") {
    return (env) => {
      const a = x(env);
      return !(typeof a === "boolean" ? a : truth(a));
    };
  }
  if (op === "-") {
    return (env) => {
      const a = x(env);
      if (typeof a === "number" && a !== 0) return -a;
      at(env, line, col);
      return unary("-", a);
    };
  }
  return (env) => {
    const a = x(env);
    at(env, line, col);
    return unary(op, a);
  };
}
