import assert from "node:assert/strict";
import { test } from "node:test";
import {
  callFunction, fromJS, hostFunction, newThread, params, resolve, runModule, sourceLoader, StarlarkError,
  StarlarkSyntaxError, toJS, type Value,
} from "./index.ts";

function runtimeError(f: () => unknown): StarlarkError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StarlarkError, String(e));
    return e;
  }
  return assert.fail("expected a StarlarkError");
}

test("resolve returns every static error with file:line:col", () => {
  assert.deepEqual(resolve("x = 1\nx = 2\nprint(y)\n", "a.star").map((d) => `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.msg}`), [
    "a.star:2:1: cannot reassign global x declared at a.star:1:1",
    "a.star:3:7: undefined: y",
  ]);
  assert.deepEqual(resolve("x = (\n", "a.star").map((d) => d.msg), ["got end of file, want primary expression"]);
  assert.deepEqual(resolve("x = host\n", "a.star", { predeclared: { host: null } }), []);
});

test("runModule throws StarlarkSyntaxError before running anything", () => {
  const printed: string[] = [];
  assert.throws(() => runModule("print('ran')\nundefined_name\n", { print: (m) => printed.push(m) }), StarlarkSyntaxError);
  assert.deepEqual(printed, []);
});

test("print callback, predeclared values and host functions", () => {
  const printed: string[] = [];
  const greet = hostFunction("greet", (args) => `hello ${String(args[0])}`);
  const P = params("scale", "x", "factor?");
  const scale = hostFunction("scale", (args, kwargs) => {
    const [v, f] = P.unpack(args, kwargs);
    return (v as number) * ((f as number | undefined) ?? 2);
  });
  const g = runModule("print(greet('bob'), base)\nx = scale(base, factor=3)\n", {
    predeclared: { greet, scale, base: 7 },
    print: (m) => printed.push(m),
  });
  assert.deepEqual(printed, ["hello bob 7"]);
  assert.equal(g.x, 21);
});

test("toJS / fromJS round trip", () => {
  const js = { a: [1, 2.5, "s", null, true], b: { c: 12345678901234567890n } };
  assert.deepEqual(toJS(fromJS(js)), js);
  const g = runModule("def handle(req):\n  return {'path': req['path'], 'n': len(req['q'])}\n");
  assert.deepEqual(toJS(callFunction(g.handle!, [fromJS({ path: "/x", q: [1, 2] })])), { path: "/x", n: 2 });
  assert.throws(() => toJS(g.handle!), /cannot convert function/);
  const twice = fromJS((n: number) => n * 2);
  assert.equal(runModule("x = twice(21)\n", { predeclared: { twice } }).x, 42);
});

test("runtime errors carry a Starlark backtrace, never a JS stack", () => {
  const err = runtimeError(() => runModule("def f(x):\n  return g(x)\ndef g(y):\n  return 1 // y\nf(0)\n", { filename: "e.star" }));
  assert.equal(err.format(), [
    "Traceback (most recent call last):",
    "  e.star:5:2: in <toplevel>",
    "  e.star:2:11: in f",
    "  e.star:4:12: in g",
    "Error: integer division by zero",
  ].join("\n"));
  assert.doesNotMatch(err.format(), /\.ts:/);
});

test("errors in functions called from JS have a backtrace and leave the thread reusable", () => {
  const g = runModule("def bad(x):\n  return x + 'a'\n", { filename: "h.star" });
  const thread = newThread();
  const err = runtimeError(() => callFunction(g.bad!, [1], null, { thread }));
  assert.deepEqual(err.backtrace.map((f) => `${f.name}@${f.pos.line}`), ["bad@2"]);
  assert.equal(thread.frames.length, 0);
});

test("step budget and deadline stop runaway programs", () => {
  const budget = runtimeError(() => runModule("def f():\n  for i in range(100000000): pass\nf()\n", { maxSteps: 10000 }));
  assert.match(budget.msg, /step budget of 10000 exceeded/);
  const deadline = runtimeError(() =>
    runModule("def f():\n  while True:\n    pass\nf()\n", { options: { allowWhile: true }, timeoutMs: 20 }));
  assert.match(deadline.msg, /deadline exceeded/);
  assert.equal(`${deadline.pos!.line}`, "2");
});

test("load: via sourceLoader, cached, with cycle detection", () => {
  const files: Record<string, string> = {
    "lib.star": "count = [0]\ndef double(x):\n  return 2 * x\n",
    "a.star": "load('b.star', 'b')\na = 1\n",
    "b.star": "load('a.star', 'a')\nb = 1\n",
  };
  const load = sourceLoader((m) => files[m]);
  const g = runModule("load('lib.star', 'double', d2='double')\nx = double(4) + d2(1)\n", { load });
  assert.equal(g.x, 10);
  const err = runtimeError(() => runModule("load('a.star', 'a')\n", { load, filename: "main.star" }));
  assert.match(err.msg, /cannot load a.star: .*cycle in load graph/);
  const missing = runtimeError(() => runModule("load('lib.star', 'dubble')\n", { load }));
  assert.match(missing.msg, /load: name dubble not found in module lib.star \(did you mean double\?\)/);
  assert.match(runtimeError(() => runModule("load('x.star', 'y')\n")).msg, /load not implemented/);
});

test("dialect options reach the resolver and the runtime", () => {
  const src = "def f(n):\n  return n if n < 2 else f(n - 1) + f(n - 2)\nx = f(10)\n";
  assert.throws(() => runModule(src), /called recursively/);
  assert.equal(runModule(src, { options: { allowRecursion: true } }).x, 55);
  assert.throws(() => runModule("x = 1\nx = 2\n"), StarlarkSyntaxError);
  assert.equal(runModule("x = 1\nx = 2\n", { options: { allowGlobalReassign: true } }).x, 2);
});

test("host values: attribute access and field assignment", () => {
  const fields = new Map<string, Value>([["name", "n"]]);
  const obj = { hostType: "thing", getAttr: (n: string) => fields.get(n), setField: (n: string, v: Value) => void fields.set(n, v) };
  const g = runModule("def f(o):\n  o.count = 3\n  return o.name\n", {});
  assert.equal(callFunction(g.f!, [obj]), "n");
  assert.equal(fields.get("count"), 3);
});

test("deeply nested programs fail with a static error, not a JS stack overflow", () => {
  const msgs = (src: string) => {
    try {
      runModule(src);
    } catch (e) {
      assert.ok(e instanceof StarlarkSyntaxError, String(e));
      return e.diagnostics.map((d) => d.msg);
    }
    return [];
  };
  assert.deepEqual(msgs(`x = ${"(".repeat(300)}1${")".repeat(300)}\n`), ["brackets nested more than 200 deep"]);
  // Whether the parser or the compiler runs out of stack first depends on the JS stack in use.
  for (const deep of [`x = ${"-".repeat(20000)}1\n`, `x = ${"lambda: ".repeat(5000)}1\n`, `x = 1${" + 1".repeat(20000)}\n`]) {
    assert.match(msgs(deep).join(), /^(expression|program) nested too deeply( to compile)?$/);
  }
  assert.deepEqual(msgs(`x = ${"(".repeat(150)}1${")".repeat(150)}\n`), []);
});

test("toJS keeps a __proto__ key as data", () => {
  const obj = toJS(runModule('x = {"__proto__": {"polluted": True}}\n').x!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(obj), ["__proto__"]);
  assert.equal(Object.getPrototypeOf(obj), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("a global named __proto__ is an ordinary global", () => {
  const g = runModule("__proto__ = {'handle': 1}\nx = 2\n", { options: {} });
  assert.equal(Object.getPrototypeOf(g), Object.prototype);
  assert.deepEqual(Object.keys(g), ["__proto__", "x"]);
});

test("fromJS passes Starlark and host values through and rejects other objects", () => {
  const host = { hostType: "thing" };
  assert.equal(fromJS(host), host);
  const g = runModule("def f():\n  return 1\n");
  assert.equal(fromJS(g.f), g.f);
  assert.throws(() => fromJS(new Date()), /cannot convert Date/);
  assert.throws(() => fromJS(new Map()), /cannot convert Map/);
});
