import assert from "node:assert/strict";
import { test } from "node:test";
import type { SyntaxOptions } from "./options.ts";
import { parseFile } from "./parser.ts";
import { resolveFile } from "./resolver.ts";
import type { FunctionInfo, Stmt } from "./ast.ts";

const names = { isPredeclared: (n: string) => n === "host", isUniversal: (n: string) => ["len", "print", "set", "None", "True"].includes(n) };

function errors(src: string, options: SyntaxOptions = {}): string[] {
  return resolveFile(parseFile(src, "t.star"), names, options).map((d) => `${d.pos.line}:${d.pos.col}: ${d.msg}`);
}

test("valid programs resolve without errors", () => {
  assert.deepEqual(errors("def f(x):\n  return g(x) + len(host)\ndef g(y):\n  return [y for y in range]\nrange = 1\n"), []);
});

test("all errors are reported, in source order", () => {
  assert.deepEqual(errors("x = 1\nx = 2\nprint(y)\ndef f():\n  break\n"), [
    "2:1: cannot reassign global x declared at t.star:1:1",
    "3:7: undefined: y",
    "5:3: break not in a loop",
  ]);
});

test("spelling suggestions for undefined names", () => {
  assert.deepEqual(errors("hello = 1\nprint(hollo)\n"), ["2:7: undefined: hollo (did you mean hello?)"]);
});

test("toplevel control flow, while and set need options", () => {
  assert.deepEqual(errors("for x in []: pass\nif True: pass\n"), ["1:1: for loop not within a function", "2:1: if statement not within a function"]);
  assert.deepEqual(errors("for x in []: pass\n", { allowToplevelControl: true }), []);
  assert.deepEqual(errors("def f():\n  while 1: pass\n"), ["2:3: dialect does not support while loops"]);
  assert.deepEqual(errors("def f():\n  while 1: pass\n", { allowWhile: true }), []);
  assert.deepEqual(errors("s = set()\n"), ["1:5: dialect does not support sets"]);
  assert.deepEqual(errors("x = 1\nx = 2\n", { allowGlobalReassign: true }), []);
});

test("load, return and parameter rules", () => {
  assert.deepEqual(errors("def f():\n  load('m', 'x')\n"), ["2:3: load statement within a function"]);
  assert.deepEqual(errors("load('m', '_x')\n"), ["1:12: load: names with leading underscores are not exported: _x"]);
  assert.deepEqual(errors("return 1\n"), ["1:1: return statement not within a function"]);
  assert.deepEqual(errors("def f(a, a): pass\n"), ["1:10: duplicate parameter: a"]);
  assert.deepEqual(errors("def f(a=1, b): pass\n"), ["1:12: required parameter may not follow optional"]);
  assert.deepEqual(errors("def f(*): pass\n"), ["1:7: bare * must be followed by keyword-only parameters"]);
  assert.deepEqual(errors("f = len\nf(a=1, a=2)\nf(*[], 1)\n"), [
    "2:8: keyword argument \"a\" is repeated",
    "3:8: positional argument may not follow *args",
  ]);
});

test("assignment targets", () => {
  assert.deepEqual(errors("def f():\n  1 = 2\n  (a, b) += 1\n"), [
    "2:3: can't assign to literal",
    "3:4: can't use tuple expression in augmented assignment",
  ]);
});

test("scopes: locals, cells and free variables", () => {
  const file = parseFile("def outer(a):\n  b = 1\n  def inner():\n    return a + b + c\n  return inner\nc = 3\n", "t.star");
  assert.deepEqual(resolveFile(file, names, {}), []);
  const outer = (file.stmts[0] as Extract<Stmt, { kind: "Def" }>).fn as FunctionInfo;
  const inner = (outer.body[1] as Extract<Stmt, { kind: "Def" }>).fn as FunctionInfo;
  assert.deepEqual(outer.localNames, ["a", "b", "inner"]);
  assert.deepEqual(outer.cells, [0, 1]);
  assert.deepEqual(inner.freevars.map((b) => b.name), ["a", "b"]);
  assert.deepEqual(file.globals, ["outer", "c"]);
});
