/**
 * Constant folding (fold.ts): int expressions of literals become constants,
 * with the values the program would compute; anything that would fail is
 * left to fail at run time, at its own position.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { compile, runModule, StarlarkError } from "../index.ts";

test("int constant expressions are folded at compile time", () => {
  const p = compile("def f(r):\n    return ((1 << 120) - 1) & (r + (1 << 100))\nx = f(5)\n", { filename: "fold.star" });
  assert.doesNotMatch(p.source, /shl\(|intShl\(/);
  assert.equal(runModule("x = ((1 << 120) - 1) & (5 + (1 << 100))\n").x, (1n << 100n) + 5n);
  assert.equal(runModule("x = -(1 << 70) // 3 + (1 << 70) // 3\n").x, -1);
  assert.equal(runModule("x = ~5 + -(-3) + +4\n").x, 1);
  // Ints only: floats and strings are not folded (nor is `/`, whose result is a float).
  assert.equal(runModule("x = 'a' * 3\n").x, "aaa");
  assert.equal(runModule("x = str(7 / 2)\n").x, "3.5");
});

test("long chains fold without deep recursion, up to the first operand that is not constant", () => {
  assert.equal(runModule(`x = 1${" + 1".repeat(3000)}\n`).x, 3001);
  const p = compile(`def f(a):\n    return 1${" + 1".repeat(3000)} + a${" + 2".repeat(3)}\nx = f(1)\n`, { filename: "chain.star" });
  assert.match(p.source, /\b3001\b/);
  assert.equal(runModule(`def f(a):\n    return 1${" + 1".repeat(3000)} + a${" + 2".repeat(3)}\nx = f(1)\n`).x, 3008);
  assert.equal(runModule(`a = 2\nx = a${" and a".repeat(3000)}\n`).x, 2);
});

test("a constant expression that would fail is not folded: it fails when and where it runs", () => {
  const failing: Array<[string, RegExp]> = [
    ["1 // 0", /^3:14: integer division by zero/],
    ["1 % 0", /^3:14: integer modulo by zero/],
    ["1 << -1", /^3:14: negative shift count/],
    ["1 << 512", /^3:14: shift count too large/],
    [Array(130).fill("(1 << 511)").join(" * "), /int too large/],
  ];
  for (const [expr, re] of failing) {
    // Compiles; fails only when (and where) it runs.
    const src = `def f():\n    return 1\nx = f() + (${expr})\n`;
    assert.doesNotThrow(() => compile(src, { filename: "t.star" }));
    assert.throws(() => runModule(src, { filename: "t.star" }), (e: unknown) => {
      assert.ok(e instanceof StarlarkError);
      assert.match(`${e.pos!.line}:${e.pos!.col}: ${e.msg}`, re);
      return true;
    });
  }
});
