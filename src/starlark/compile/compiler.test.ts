import assert from "node:assert/strict";
import { test } from "node:test";
import { callFunction, fromJS, newThread, runModule, StarlarkError, Thread, toJS, type JSValue, type Options } from "../index.ts";
import { binary, compare } from "../values/ops.ts";

/** Runs `src` and returns global `x` as a JS value. */
function x(src: string, options: Options = {}): JSValue {
  return toJS(runModule(src, { filename: "t.star", options }).x!);
}

/** Runs `src`, expecting a runtime error; returns "line:col: msg" of the innermost frame. */
function runtimeError(src: string, options: Options = {}): string {
  try {
    runModule(src, { filename: "t.star", options });
  } catch (e) {
    assert.ok(e instanceof StarlarkError, String(e));
    return `${e.pos!.line}:${e.pos!.col}: ${e.msg}`;
  }
  return assert.fail("expected a runtime error");
}

test("arithmetic with int fast paths and bigint overflow", () => {
  assert.deepEqual(x("x = [1 + 2, 7 - 10, 6 * 7, 7 // 2, -7 // 2, 7 % -3, -7 % 3, 9007199254740991 + 1]"),
    [3, -3, 42, 3, -4, -2, 2, 9007199254740992n]);
  assert.deepEqual(x("x = [2 * 4611686018427387904, -(-9007199254740991 - 1)]"), [9223372036854775808n, 9007199254740992n]);
  assert.deepEqual(x("x = [1 < 2, 2 <= 1, 'a' < 'b', 1 == 1.0, [1] == [1], 'a' != 'a']"), [true, false, true, true, true, false]);
  assert.deepEqual(x("x = [1 and 2, 0 and 2, 0 or 'y', None or 0, not 0]"), [2, 0, "y", 0, true]);
});

test("assignment: unpacking, swaps, augmented", () => {
  assert.deepEqual(x("def f():\n  a, b = 1, 2\n  a, b = b, a\n  [c, (d, e)] = [3, (4, 5)]\n  return [a, b, c, d, e]\nx = f()"), [2, 1, 3, 4, 5]);
  assert.deepEqual(x("def f():\n  l = [1]\n  m = l\n  l += [2]\n  d = {'k': 1}\n  d['k'] += 5\n  return [m, d['k']]\nx = f()"), [[1, 2], 6]);
  assert.match(runtimeError("a, b = 1, 2, 3\n"), /^1:1: too many values to unpack \(got 3, want 2\)/);
  assert.match(runtimeError("def f():\n  a, b = [1]\nf()\n"), /^2:3: too few values to unpack/);
  assert.match(runtimeError("a, b = 1\n"), /got int in sequence assignment/);
});

test("functions: defaults, *args, **kwargs, keyword-only, closures", () => {
  assert.deepEqual(x("def f(a, b=2, *args, c, d=4, **kw):\n  return [a, b, args, c, d, kw]\nx = f(1, c=3, e=5)"), [1, 2, [], 3, 4, { e: 5 }]);
  assert.deepEqual(x("def f(*args, **kw):\n  return [args, kw]\nx = f(*[1, 2], **{'a': 3})"), [[1, 2], { a: 3 }]);
  assert.deepEqual(x("def mk():\n  n = [0]\n  def inc():\n    n[0] += 1\n    return n[0]\n  return inc\ndef run():\n  i = mk()\n  i()\n  return i()\nx = run()"), 2);
  assert.deepEqual(x("x = (lambda a, b=10: a * b)(3)"), 30);
  assert.deepEqual(x("def f():\n  fs = [lambda: i for i in [1, 2]]\n  return [g() for g in fs]\nx = f()"), [2, 2]);
  assert.match(runtimeError("def f(a): pass\nf()\n"), /2:2: function f missing 1 argument \(a\)/);
  assert.match(runtimeError("def f(a, b=1): pass\nf(1, 2, 3)\n"), /function f accepts at most 2 positional arguments \(3 given\)/);
  assert.match(runtimeError("def f(a): pass\nf(1, a=2)\n"), /function f got multiple values for parameter "a"/);
  assert.match(runtimeError("def f(): pass\nf(1)\n"), /function f accepts no arguments \(1 given\)/);
  assert.match(runtimeError("x = 1\nx()\n"), /invalid call of non-function \(int\)/);
});

test("recursion is an error unless allowed", () => {
  const src = "def fact(n):\n  return 1 if n <= 1 else n * fact(n - 1)\nx = fact(20)\n";
  assert.match(runtimeError(src), /2:35: function fact called recursively/);
  assert.equal(x(src, { allowRecursion: true }), 2432902008176640000n);
});

test("control flow: for, while, break, continue, if/elif/else", () => {
  const src = "def f():\n  out = []\n  for i in range(10):\n    if i == 2:\n      continue\n    elif i > 5:\n      break\n    else:\n      out.append(i)\n  n = 0\n  while n < 3:\n    n += 1\n  return out + [n]\nx = f()";
  assert.deepEqual(x(src, { allowWhile: true }), [0, 1, 3, 4, 5, 3]);
  assert.deepEqual(x("x = []\nfor a, b in [(1, 2), (3, 4)]:\n  x.append(a * b)\n", { allowToplevelControl: true }), [2, 12]);
  assert.match(runtimeError("def f():\n  l = [1]\n  for v in l:\n    l.append(v)\nf()\n"), /cannot append to list during iteration/);
});

test("comprehensions", () => {
  assert.deepEqual(x("x = [i * j for i in range(3) if i for j in [10, 20]]"), [10, 20, 20, 40]);
  assert.deepEqual(x("x = {k: len(k) for k in ['a', 'bb']}"), { a: 1, bb: 2 });
  assert.deepEqual(x("y = 5\nx = [y for y in [y, 6]]"), [5, 6]);
  assert.match(runtimeError("x = {[1]: 2 for _ in [0]}\n"), /unhashable/);
});

test("dict literals with constant string keys, and startswith/endswith inline paths", () => {
  assert.deepEqual(x("def f(i):\n  return {'a': i, 'b': [i], 'c': {}}\nx = [f(1), f(2)]\nx[0]['d'] = 4\n"),
    [{ a: 1, b: [1], c: {}, d: 4 }, { a: 2, b: [2], c: {} }]);
  assert.deepEqual(x("def f(w):\n  return [w.endswith('7'), w.startswith('1'), w.endswith(('7', '8')), w.startswith('')]\nx = f('17') + f('28')\n"),
    [true, true, true, true, false, false, true, true]);
  assert.match(runtimeError("def f(w):\n  return w.endswith('7')\nx = f(3)\n"), /^2:20: int has no .endswith field or method/);
  assert.match(runtimeError("def f(w):\n  return w.startswith(1)\nx = f('a')\n"), /^2:22: startswith: got int, want string or tuple of strings/);
});

test("dict literals reject duplicate keys at the duplicate", () => {
  assert.match(runtimeError("x = {\n  'a': 1,\n  'a': 2,\n}\n"), /^3:3: duplicate key: "a"/);
});

test("unbound variables", () => {
  assert.match(runtimeError("def f():\n  print(z)\n  z = 1\nf()\n"), /2:9: local variable z referenced before assignment/);
  assert.match(runtimeError("def f():\n  return y\nf()\ny = 1\n"), /global variable y referenced before assignment/);
});

test("reads are checked unless the local is certainly assigned on every path", () => {
  const err = /local variable y referenced before assignment/;
  assert.match(runtimeError("def f(c):\n  if c:\n    y = 1\n  return y\nf(False)\n"), err);
  assert.match(runtimeError("def f(c):\n  if c:\n    pass\n  elif c == 0:\n    y = 1\n  else:\n    y = 2\n  return y\nf(True)\n"), err);
  assert.match(runtimeError("def f():\n  for i in []:\n    y = i\n  return y\nf()\n"), err);
  assert.match(runtimeError("def f():\n  for i in range(2):\n    if i == 0:\n      print(y)\n    y = i\nf()\n"), err);
  assert.deepEqual(x("def f():\n  out = []\n  for i in range(3):\n    if i > 0:\n      out.append(y)\n    y = i\n  return out\nx = f()\n"), [0, 1]);
  assert.match(runtimeError("x = [1 for a in [1] if z for z in [2]]\n"), /local variable z referenced before assignment/);
  const top = { allowToplevelControl: true, allowGlobalReassign: true };
  assert.match(runtimeError("if len([]):\n  y = 1\nx = y\n", top), /3:5: global variable y referenced before assignment/);
  assert.match(runtimeError("for i in []:\n  y = i\nx = y\n", top), /global variable y referenced before assignment/);
  assert.equal(x("y = 2\nif y:\n  y = 3\nx = y * 2\n", top), 6);
});

test("int literals as operands of calls, indexing and methods", () => {
  assert.match(runtimeError("x = len(1)\n"), /len: value of type int has no len/);
  assert.match(runtimeError("x = 1(2)\n"), /invalid call of non-function \(int\)/);
  assert.match(runtimeError("x = 1[0]\n"), /unhandled index operation int\[int\]/);
  assert.match(runtimeError("x = (1).append(2)\n"), /int has no .append field or method/);
  assert.deepEqual(x("x = [len('ab'), len([1]), len((1, 2, 3)), len({1: 2}), 2 * 3 + 1, 7 % 3, 1 < 2, 1 == 1]"), [2, 1, 3, 1, 7, 1, true, true]);
  assert.deepEqual(x("x = {'a': 1, 'b': 2, 'a' + 'c': 3}"), { a: 1, b: 2, ac: 3 });
});

test("module globals are frozen after execution", () => {
  const g = runModule("xs = []\ndef add(v):\n  xs.append(v)\n", { filename: "t.star" });
  assert.throws(() => callFunction(g.add!, [1]), /cannot append to frozen list/);
  assert.deepEqual(toJS(g.xs!), []);
});

test("keyword calls: one call site, several callees and the general binder's errors", () => {
  const src = [
    "def a(x, y=1, *, z=2):\n  return [x, y, z]",
    "def b(x, z=0, y=0):\n  return [x, z, y]",
    "def c(x, **kw):\n  return [x, kw]",
    "def call(f):\n  return f(5, z=9)",
    "x = [call(a), call(b), call(c), call(a)]",
  ].join("\n");
  assert.deepEqual(x(src), [[5, 1, 9], [5, 9, 0], [5, { z: 9 }], [5, 1, 9]]);
  assert.match(runtimeError("def f(a, b): pass\nf(1, c=2)\n"), /function f got an unexpected keyword argument "c"/);
  assert.match(runtimeError("def f(a, b): pass\nf(1, a=2)\n"), /function f got multiple values for parameter "a"/);
  assert.match(runtimeError("def f(a, b, *, c): pass\nf(1, b=2)\n"), /function f missing 1 argument \(c\)/);
});

test("long elif chains compile and run without deep recursion", () => {
  const n = 5000;
  const branches = Array.from({ length: n }, (_, i) => `  elif v == ${i + 1}:\n    return ${i + 1}\n`).join("");
  assert.deepEqual(x(`def f(v):\n  if v == 0:\n    return 0\n${branches}  else:\n    return -1\nx = [f(0), f(${n}), f(${n + 1})]\n`), [0, n, -1]);
});

test("long operator chains compile flat", () => {
  const n = 3000;
  assert.equal(x(`x = ${Array(n).fill("1").join(" + ")}\n`), n);
  assert.equal(x(`x = ${Array(n).fill("1").join(" and ")} and 0 and 1\n`), 0);
  assert.equal(x(`x = ${Array(n).fill("0").join(" or ")} or 'y'\n`), "y");
  assert.deepEqual(x("def f(a, b):\n  return [a and b, a or b, 1 if a and b and a else 2]\nx = f(3, 0) + f(0, 'q')\n"), [0, 3, 2, 0, "q", 2]);
});

test("inline int fast paths agree with the runtime's operators at the boundaries", () => {
  const edges = [0, 1, -1, 2, -3, 7, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 52 + 1, -(2 ** 52), 2 ** 53 - 1, -(2 ** 53 - 1), 12345678901];
  const pairs = edges.flatMap((a) => edges.map((b) => [a, b]));
  const ops = ["+", "-", "*", "//", "%", "&", "|", "^", ">>", "<<", "<", "<=", "==", "!="];
  for (const op of ops) {
    const ok = (b: number) => !((op === "//" || op === "%") && b === 0) && !((op === "<<" || op === ">>") && (b < 0 || b > 64));
    const ps = pairs.filter(([, b]) => ok(b!));
    const g = runModule(`def f(ps):\n  return [a ${op} b for a, b in ps]\nx = f(PS)\n`, { predeclared: { PS: fromJS(ps) } });
    const cmp = ["<", "<=", "==", "!="].includes(op);
    const want = ps.map(([a, b]) => toJS(cmp ? compare(op as "<", a!, b!) : binary(op as "+", a!, b!, new Thread())));
    assert.deepEqual(toJS(g.x!), want, op);
  }
});

test("constant % formats and str() take inline paths with the runtime's results and errors", () => {
  assert.deepEqual(x("def f(i, s):\n  return ['item-%d-%s' % (i, s), 'u%d' % i, '%s%%' % s, '%d' % (i,), '%s|%s' % (i, s), str(i), str(s), str(None)]\nx = f(12, 'z') + f(-3, 'q')\n"),
    ["item-12-z", "u12", "z%", "12", "12|z", "12", "z", "None", "item--3-q", "u-3", "q%", "-3", "-3|q", "-3", "q", "None"]);
  assert.deepEqual(x("def f(v):\n  return ['%s' % v, '<%s>' % (v,), str(v)]\nx = f([3]) + f(True) + f(2.5) + f(12345678901234567890)\n"),
    ["[3]", "<[3]>", "[3]", "True", "<True>", "True", "2.5", "<2.5>", "2.5",
      "12345678901234567890", "<12345678901234567890>", "12345678901234567890"]);
  assert.match(runtimeError("x = '%d' % 'a'\n"), /1:10: %d format requires integer: got string/);
  assert.match(runtimeError("x = '%d %d' % (1,)\n"), /not enough arguments for format string/);
  assert.match(runtimeError("x = '%d' % (1, 2)\n"), /too many arguments for format string/);
});

test("functions with many parameters and calls with many arguments", () => {
  const n = 70000;
  const params = Array.from({ length: n }, (_, i) => `p${i}`).join(", ");
  assert.equal(x(`def f(${params}):\n  return p1 + p${n - 1}\nx = f(${Array.from({ length: n }, (_, i) => i).join(", ")})\n`), n);
  assert.equal(x(`def f(*a):\n  return len(a)\nx = f(${Array(n).fill("1").join(", ")})\n`), n);
  const few = Array.from({ length: 40 }, (_, i) => `q${i}`).join(", ");
  assert.deepEqual(x(`def f(${few}, z=5):\n  def g():\n    return q0\n  return [g(), q39, z]\nx = f(${Array.from({ length: 40 }, (_, i) => i).join(", ")}, z=6)\n`), [0, 39, 6]);
});

test("method calls: direct string/dict/list implementations, the general caller for the rest, same errors", () => {
  const src = (body: string) => `def f(xs):\n  out = []\n  for v in xs:\n    ${body}\n  return out\nx = f(XS)\n`;
  const run = (body: string, xs: string) => x(src(body).replace("XS", xs), { allowSet: true });
  assert.deepEqual(run("out.append(v.index('1' if type(v) == 'string' else 1))", "[[1, 2], [0, 1], 'a1']"), [0, 1, 1]);
  assert.deepEqual(run("out.append(v.get('k', 7))", "[{'k': 1}, {}]"), [1, 7]);
  assert.deepEqual(run("out.append(v.pop())", "[[1, 2], set([3])]"), [2, 3]);
  assert.deepEqual(run("out.append(v.split(sep = ',', maxsplit = 1))", "['a,b,c', 'x']"), [["a", "b,c"], ["x"]]);
  assert.deepEqual(run("out.append(v.lower())", "['AbC']"), ["abc"]);
  assert.match(runtimeError(src("out.append(v.lower())").replace("XS", "[1]")), /^4:23: int has no \.lower field or method/);
  assert.match(runtimeError(src("out.append(v.get())").replace("XS", "[{}]")), /^4:21: get: got 0 arguments, want at least 1/);
  assert.match(runtimeError(src("out.append(v.upper(1))").replace("XS", "['a']")), /upper: got 1 arguments, want 0/);
  assert.match(runtimeError(src("v.append(1)").replace("XS", "[()]")), /^4:13: tuple has no \.append field or method/);
  assert.match(runtimeError(src("out.append(v.get(k = 1))").replace("XS", "[{}]")), /^4:21: get: unexpected keyword arguments/);
});

test("for over a dict: keys in order, mutation fails inside the loop and works after it (also after break)", () => {
  assert.deepEqual(x("def f():\n  d = {'a': 1, 'b': 2}\n  out = []\n  for k in d:\n    out.append(k)\n    if k == 'a':\n      break\n  d['c'] = 3\n  for k in d:\n    out.append(d[k])\n  return out\nx = f()"),
    ["a", 1, 2, 3]);
  assert.match(runtimeError("def f():\n  d = {'a': 1}\n  for k in d:\n    d['b'] = 2\nf()\n"), /^4:6: cannot insert into hash table during iteration/);
  assert.match(runtimeError("def f():\n  d = {'a': 1}\n  for k in d:\n    d.pop('a')\nf()\n"), /cannot delete from hash table during iteration/);
});

test("keyword calls of unknown callees: a site's remembered plan follows the function called", () => {
  const src = `
def mk(d):
    def g(x, y = d, z = 0):
        return [x, y, z]
    return g
def h(y, x = "hx"):
    return ["h", x, y]
def main():
    fs = [mk(1), mk(2), h, mk(3), sorted, h]
    out = []
    for f in fs:
        if f == sorted:
            out.append(f([3, 1, 2], reverse = True))
        else:
            out.append(f(y = "Y", x = "X"))
    return out
x = main()
`;
  assert.deepEqual(x(src), [["X", "Y", 0], ["X", "Y", 0], ["h", "X", "Y"], ["X", "Y", 0], [3, 2, 1], ["h", "X", "Y"]]);
  assert.deepEqual(x("def f(a, b = 2):\n  return [a, b]\ndef main():\n  g = [f][0]\n  return [g(1, b = 5), g(b = 7, a = 6), g(a = 1)]\nx = main()\n"), [[1, 5], [6, 7], [1, 2]]);
  const err = (call: string) => runtimeError(`def f(a, b = 2):\n  return a\ndef main():\n  g = [f][0]\n  return ${call}\nmain()\n`);
  assert.match(err("g(1, c = 3)"), /^5:11: function f got an unexpected keyword argument "c"/);
  assert.match(err("g(1, a = 3)"), /function f got multiple values for parameter "a"/);
  assert.match(err("g(b = 3)"), /function f missing 1 argument \(a\)/);
  assert.match(err("len(1, x = 3) if False else (lambda **kw: kw)(x = 1)['y']"), /key "y" not in dict/);
});

test("d[\"field\"] asks the dict directly; other receivers and missing keys fail as before", () => {
  const f = (body: string) => `def f(d):\n  return ${body}\n`;
  assert.deepEqual(x(f("[d['a'], d['\\x00b'], d['\\uffffc']]") + "x = f({'a': 1, '\\x00b': 2, '\\uffffc': 3})"), [1, 2, 3]);
  assert.deepEqual(x(f("d['a']") + "x = [f({'a': i, 'k%d' % i: 0, 'z': 1, 'y': 2, 'w': 3, 'v': 4, 'u': 5, 't': 6, 's': 7}) for i in range(3)]"), [0, 1, 2]);
  assert.match(runtimeError(f("d['b']") + "f({'a': 1})\n"), /^2:11: key "b" not in dict/);
  assert.match(runtimeError(f("d['b']") + "f([1])\n"), /^2:11: list index: got string, want int/);
  assert.match(runtimeError(f("d['b']") + "f(1)\n"), /^2:11: unhandled index operation int\[string\]/);
});

test("unpacking lists and tuples inline: values are taken before any store, mismatches fail as before", () => {
  assert.deepEqual(x("def f():\n  l = [1, 2]\n  a, b = l\n  (c, [d, e]) = (3, [4, 5])\n  l[1], g = l\n  return [a, b, c, d, e, l, g]\nx = f()"),
    [1, 2, 3, 4, 5, [1, 1], 2]);
  assert.deepEqual(x("def f():\n  out = []\n  for a, b in [[1, 2], (3, 4)]:\n    out.append(a * b)\n  return out\nx = f()"), [2, 12]);
  assert.match(runtimeError("def f():\n  a, b, c = [1, 2]\nf()\n"), /^2:3: too few values to unpack \(got 2, want 3\)/);
  assert.match(runtimeError("def f():\n  a, b = [1, 2, 3]\nf()\n"), /^2:3: too many values to unpack \(got 3, want 2\)/);
  assert.match(runtimeError("def f():\n  for a, b in [[1]]:\n    pass\nf()\n"), /^2:7: too few values to unpack \(got 1, want 2\)/);
  assert.match(runtimeError("def f():\n  a, b = {'k': 1}\nf()\n"), /too few values to unpack \(got 1, want 2\)/);
  assert.match(runtimeError("def f(t):\n  a, b = t\nf((1, 2, 3))\n"), /^2:3: too many values to unpack \(got 3, want 2\)/);
  assert.match(runtimeError("def f(t):\n  for a, b, c in [t]:\n    pass\nf(())\n"), /^2:7: too few values to unpack \(got 0, want 3\)/);
  assert.match(runtimeError("def f(t):\n  [a, (b, c)] = t\nf([1, (2,)])\n"), /too few values to unpack \(got 1, want 2\)/);
});

test("tuples of constants are built once; copies made from them are still fresh", () => {
  assert.deepEqual(x("def f():\n  out = []\n  for i in range(3):\n    t = ((1, 'a'), 2.5, -3, 12345678901234567890)\n    l = list(t)\n    l.append(i)\n    out.append([len(l), t == ((1, 'a'), 2.5, -3, 12345678901234567890), (i, 1) > (1, 0)])\n  return out\nx = f()"),
    [[5, true, false], [5, true, true], [5, true, true]]);
  assert.deepEqual(x("def f():\n  d = {}\n  for i in range(3):\n    d[(1, 2)] = d.get((1, 2), 0) + i\n  return d[(1, 2)]\nx = f()"), 3);
});

test("for k, v in d.items(): a snapshot walked without tuples, same steps, same errors", () => {
  assert.deepEqual(x(`
def f():
    d = {1.0: "a", "b": 2}
    out = []
    for k, v in d.items():
        d["new" + str(len(d))] = 0
        out.append([k, v])
    e = {}
    for e["k"], v in {"x": 1}.items():
        out.append([e["k"], v])
    out.append([[k, v] for k, v in {"p": 1, "q": 2}.items() if v > 1])
    for k, v in [("t", 1)]:
        out.append(k)
    return out
x = f()`), [[1.0, "a"], ["b", 2], ["x", 1], [["q", 2]], "t"]);
  assert.match(runtimeError("def f():\n  for k, v in [1].items():\n    pass\nf()\n"), /^2:24: list has no \.items field or method/);
  assert.match(runtimeError("def f():\n  for k, v, w in {'a': 1}.items():\n    pass\nf()\n"), /too few values to unpack \(got 2, want 3\)/);
  const steps = (body: string) => {
    const thread = newThread();
    runModule(`def f():\n  d = {"k%d" % i: i for i in range(20)}\n  n = 0\n${body}\n  return n\nx = f()\n`, { thread });
    return thread.steps;
  };
  assert.equal(steps("  for k, v in d.items():\n    n += v"), steps("  for t in d.items():\n    n += t[1]"));
});

test("indexing lists and tuples inline, from the end too; strings and errors through the runtime", () => {
  assert.deepEqual(x("def f(xs, t, s):\n  return [xs[0], xs[-1], xs[-3], t[1], t[-2], s[-1], xs[len(xs) - 1]]\nx = f([1, 2, 3], (4, 5), 'ab')"), [1, 3, 1, 5, 4, "b", 3]);
  assert.match(runtimeError("def f(xs):\n  return xs[-4]\nf([1, 2, 3])\n"), /^2:12: list index -4 out of range \[-3:2\]/);
  assert.match(runtimeError("def f(t):\n  return t[-1]\nf(())\n"), /^2:11: index -1 out of range: empty tuple/);
  assert.match(runtimeError("def f(xs):\n  return xs[-1.0]\nf([1])\n"), /^2:12: list index: got float, want int/);
  assert.match(runtimeError("def f(xs):\n  return xs[3]\nf((1, 2))\n"), /^2:12: tuple index 3 out of range \[-2:1\]/);
});
