/**
 * Compiled int arithmetic against the runtime's operators. Compiled code has
 * its own paths for ints: small ints inline, a direct call of the int
 * function when an operand is a bigint (emit-ops.ts), constants and range
 * loop counters of known type (known-ints.ts) and folded constants
 * (fold.ts). Each must give exactly what `binary()` gives (checked against
 * CPython in test/starlark/cpython-diff.test.ts), errors included, and
 * results must be canonical (a small int is a number).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { callFunction, compile, runModule, StarlarkError, type Value } from "../index.ts";
import { binary, type BinaryOp } from "../values/ops.ts";
import { Thread } from "../values/thread.ts";

const OPS: BinaryOp[] = ["+", "-", "*", "//", "%", "&", "|", "^", "<<", ">>"];
const BIG = 340282366920938463463374607431768211507n;
const INTS: Value[] = [
  0, 1, -1, 3, -7, 64, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 52, 2 ** 53 - 1, -(2 ** 53 - 1),
  2n ** 53n, -(2n ** 53n), 2n ** 64n + 3n, -(3n ** 50n), BIG, -BIG, 10n ** 200n + 1n,
];

/** The runtime's result of `x op y`, or its error message. */
function expected(op: BinaryOp, x: Value, y: Value): Value | string {
  try {
    return binary(op, x, y, new Thread());
  } catch (e) {
    if (e instanceof StarlarkError) return e.msg;
    throw e;
  }
}

/** Calls a compiled function, returning its result or its error message. */
function run(fn: Value, args: Value[]): Value | string {
  try {
    return callFunction(fn, args);
  } catch (e) {
    if (e instanceof StarlarkError) return e.msg;
    throw e;
  }
}

/** Asserts a canonical int result: a number whenever the value is safe, else a bigint. */
function same(got: Value | string, want: Value | string, what: string): void {
  assert.equal(typeof got, typeof want, `${what}: ${String(got)} vs ${String(want)}`);
  assert.equal(got, want, what);
}

test("compiled int operators match the runtime for small, big and mixed operands", () => {
  const src = OPS.map((op, i) => `def f${i}(a, b):\n    return a ${op} b\ndef g${i}(a, b):\n    a ${op}= b\n    return a\n`).join("");
  const g = runModule(src, { filename: "ops.star" });
  // Each pair twice: the second round runs after V8 has seen every type at every site.
  for (let round = 0; round < 2; round++) {
    for (const x of INTS) {
      for (const y of INTS) {
        OPS.forEach((op, i) => {
          const want = expected(op, x, y);
          same(run(g[`f${i}`]!, [x, y]), want, `${String(x)} ${op} ${String(y)}`);
          same(run(g[`g${i}`]!, [x, y]), want, `${String(x)} ${op}= ${String(y)}`);
        });
      }
    }
  }
});

test("constant operands (small, pooled and big) take the same paths with the same results", () => {
  const consts = ["3", "1000003", "4294967296", "9007199254740993", String(BIG), "(1 << 120) - 1", "-7", "-(1 << 70)"];
  const defs: string[] = [];
  const cases: Array<[string, BinaryOp, Value]> = [];
  for (const c of consts) {
    const value = runModule(`x = ${c}\n`).x!;
    OPS.forEach((op) => {
      const n = cases.length;
      defs.push(`def c${n}(a):\n    return a ${op} (${c})\ndef d${n}(a):\n    return (${c}) ${op} a\n`);
      cases.push([c, op, value]);
    });
  }
  const g = runModule(defs.join(""), { filename: "consts.star" });
  cases.forEach(([c, op, value], n) => {
    for (const x of INTS) {
      same(run(g[`c${n}`]!, [x]), expected(op, x, value), `${String(x)} ${op} ${c}`);
      same(run(g[`d${n}`]!, [x]), expected(op, value, x), `${c} ${op} ${String(x)}`);
    }
  });
});

test("int and float, string and None operands still reach the runtime's other cases", () => {
  const g = runModule(`
def f(a, b):
    return a * b
def h(a):
    return str(a % 340282366920938463463374607431768211507)
x = [str(f(1 << 60, 0.5)), str(f(0.5, 1 << 60)), f(3, "ab"), h(-1.5), h(1 << 200)]
`, { filename: "mix.star" });
  assert.deepEqual((g.x as unknown as { elems: Value[] }).elems,
    ["5.764607523034235e+17", "5.764607523034235e+17", "ababab", "3.402823669209385e+38", "340282366920938222622683981079862313011"]);
  assert.equal(run(g.f!, [2n ** 60n, "ab"]), "repeat count 1152921504606846976 too large");
  assert.equal(run(g.h!, ["x"]), "too many arguments for format string");
  assert.equal(run(g.h!, [null]), "unknown binary op: NoneType % int");
});

test("results that shrink back into the safe range are small ints: compared, used as keys and indexes as such", () => {
  const g = runModule(`
def f(a):
    b = a * (1 << 70)
    c = b // (1 << 70)
    return [c, c == a, {a: "hit"}[c], [10, 20, 30][c - a + 1], (b - b) + 5, -(1 << 64) % 3, str(c), c in {2: 0}]
x = f(2)
`, { filename: "shrink.star" });
  const x = (g.x as unknown as { elems: Value[] }).elems;
  assert.deepEqual(x, [2, true, "hit", 20, 5, 2, "2", true]);
  assert.equal(typeof x[0], "number");
});

test("floor division and modulo of big ints with negative operands follow Python", () => {
  const g = runModule(`
def f(a, b):
    return [a // b, a % b]
x = [f(-(1 << 70), 3), f(1 << 70, -3), f(-(1 << 70), -3), f(-(3 << 70), 3 << 68), f(-(3 << 70) - 1, 3 << 68), f(7, -(1 << 70))]
`, { filename: "neg.star" });
  const rows = (g.x as unknown as { elems: Array<{ elems: Value[] }> }).elems.map((t) => t.elems);
  // Values from CPython 3.11.
  assert.deepEqual(rows, [
    [-393530540239137101142n, 2],
    [-393530540239137101142n, -2],
    [393530540239137101141n, -1],
    [-4, 0],
    [-5, 885443715538058477567n],
    [-1, -1180591620717411303417n],
  ]);
});

test("range loop counters are known small ints; arithmetic with them keeps every operand type's meaning", () => {
  const g = runModule(`
def f(big, fl, s):
    out = []
    for i in range(1, 4):
        out.append([i + big, big - i, str(i * fl), i * s, i << 64, -i // 2, (1 << 70) % i, i * 3 + i, i ^ -big])
    return out
def h(v):
    for i in range(3):
        v = v * 1000003 + i
    return v
def later(n):
    t = 0
    for i in range(n):
        t += i
    i = "x"
    return [t, i + "y"]
def bad(b):
    for i in range(1):
        return b + i
def other(v):
    for i in range(2):
        pass
    for i in [v]:
        return i + 1
x = [f(1 << 80, 0.5, "ab"), h(1 << 60), later(4)]
`, { filename: "counters.star" });
  const rows = (g.x as unknown as { elems: Array<{ elems: Value[] }> }).elems;
  const fRows = (rows[0] as unknown as { elems: Array<{ elems: Value[] }> }).elems.map((r) => r.elems);
  // Values from CPython 3.11.
  assert.deepEqual(fRows, [
    [1208925819614629174706177n, 1208925819614629174706175n, "0.5", "ab", 18446744073709551616n, -1, 0, 4, -1208925819614629174706175n],
    [1208925819614629174706178n, 1208925819614629174706174n, "1.0", "abab", 36893488147419103232n, -1, 0, 8, -1208925819614629174706174n],
    [1208925819614629174706179n, 1208925819614629174706173n, "1.5", "ababab", 55340232221128654848n, -2, 1, 12, -1208925819614629174706173n],
  ]);
  assert.equal(rows[1], 1152931880931517349376049492737868357n);
  assert.deepEqual((rows[2] as unknown as { elems: Value[] }).elems, [6, "xy"]);
  assert.equal(run(g.bad!, [true]), "unknown binary op: bool + int");
  assert.equal(run(g.bad!, ["s"]), "unknown binary op: string + int");
  assert.equal(run(g.bad!, [2n ** 60n]), 2n ** 60n);
  // Also bound by another loop: not a counter (True + 1 would be 2 on the small-int path).
  assert.equal(run(g.other!, [true]), "unknown binary op: bool + int");
  assert.equal(run(g.other!, [2 ** 53 - 1]), 2n ** 53n);
  // A counter needs no string or float path: `v * 1000003 + i` tests only v.
  assert.doesNotMatch(compile("def h(v):\n    for i in range(3):\n        v = v * 1000003 + i\n    return v\n").source, /'string'|instanceof Float/);
});
