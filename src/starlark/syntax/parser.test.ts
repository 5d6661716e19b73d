import assert from "node:assert/strict";
import { test } from "node:test";
import type { Expr, Stmt } from "./ast.ts";
import { StarlarkSyntaxError } from "./errors.ts";
import { parseFile } from "./parser.ts";

/** Renders an expression fully parenthesised, to check precedence and shape. */
function show(e: Expr): string {
  switch (e.kind) {
    case "Ident": return e.name;
    case "Literal": return typeof e.value === "string" ? JSON.stringify(e.value) : String(e.value);
    case "Tuple": return `(${e.elts.map(show).join(", ")}${e.elts.length === 1 ? "," : ""})`;
    case "List": return `[${e.elts.map(show).join(", ")}]`;
    case "Dict": return `{${e.entries.map((d) => `${show(d.key)}: ${show(d.value)}`).join(", ")}}`;
    case "Unary": return `(${e.op} ${show(e.x)})`;
    case "Binary": return `(${show(e.x)} ${e.op} ${show(e.y)})`;
    case "Cond": return `(${show(e.then)} if ${show(e.cond)} else ${show(e.else)})`;
    case "Index": return `${show(e.x)}[${show(e.index)}]`;
    case "Slice": return `${show(e.x)}[${[e.lo, e.hi, e.step].map((x) => (x === null ? "" : show(x))).join(":")}]`;
    case "Dot": return `${show(e.x)}.${e.name}`;
    case "Call": return `${show(e.fn)}(${e.args.map((a) => (a.type === "named" ? `${a.name}=` : a.type === "star" ? "*" : a.type === "starstar" ? "**" : "") + show(a.value)).join(", ")})`;
    case "Lambda": return `(lambda ${e.params.map((p) => p.name?.name ?? "*").join(", ")}: ${show(e.body)})`;
    case "Comprehension": return `[${e.body.kind === "DictEntry" ? `${show(e.body.key)}: ${show(e.body.value)}` : show(e.body)} ${e.clauses.map((c) => (c.kind === "for" ? `for ${show(c.vars)} in ${show(c.iter)}` : `if ${show(c.cond)}`)).join(" ")}]`;
  }
}

const expr = (src: string) => {
  const s = parseFile(`_ = ${src}\n`, "t.star").stmts[0] as Extract<Stmt, { kind: "Assign" }>;
  return show(s.rhs);
};
const syntaxError = (src: string): string => {
  try {
    parseFile(src, "t.star");
  } catch (e) {
    assert.ok(e instanceof StarlarkSyntaxError);
    return e.message;
  }
  return assert.fail("expected a syntax error");
};

test("operator precedence follows the spec", () => {
  assert.equal(expr("1 + 2 * 3 - 4"), "((1 + (2 * 3)) - 4)");
  assert.equal(expr("a or b and not c"), "(a or (b and (not c)))");
  assert.equal(expr("a | b ^ c & d << 1"), "(a | (b ^ (c & (d << 1))))");
  assert.equal(expr("-x.y[0] * 2"), "((- x.y[0]) * 2)");
  assert.equal(expr("x not in y | z"), "(x not in (y | z))");
  assert.equal(expr("a if b else c if d else e"), "(a if b else (c if d else e))");
  assert.equal(expr("not a == b"), "(not (a == b))");
});

test("comparisons do not associate", () => {
  assert.match(syntaxError("x = a < b < c\n"), /< does not associate with < \(use parens\)/);
  assert.match(syntaxError("x = a in b not in c\n"), /in does not associate with not in/);
});

test("calls, slices, comprehensions and lambdas", () => {
  assert.equal(expr("f(1, *a, k=2, **kw)"), "f(1, *a, k=2, **kw)");
  assert.equal(expr("x[1:2:3]"), "x[1:2:3]");
  assert.equal(expr("x[::-1]"), "x[::(- 1)]");
  assert.equal(expr("x[1, 2]"), "x[(1, 2)]");
  assert.equal(expr("[y for x in xs if x for y in x]"), "[y for x in xs if x for y in x]");
  assert.equal(expr("{k: v for k, v in d}"), "[k: v for (k, v) in d]");
  assert.equal(expr("lambda x, *, y: x + y"), "(lambda x, *, y: (x + y))");
  assert.equal(expr("(1,)"), "(1,)");
});

test("statements", () => {
  const f = parseFile("def f(a, b=1, *args, c, **kw):\n  if a:\n    return\n  elif b:\n    pass\n  else:\n    for x, y in z: break\n  a, [b, c] = 1, [2, 3]\n  a += 1; b //= 2\nload('m.star', 'x', y='z')\n", "t.star");
  assert.deepEqual(f.stmts.map((s) => s.kind), ["Def", "Load"]);
  const def = f.stmts[0] as Extract<Stmt, { kind: "Def" }>;
  assert.deepEqual(def.params.map((p) => p.type), ["required", "optional", "star", "required", "starstar"]);
  assert.deepEqual(def.body.map((s) => s.kind), ["If", "Assign", "Assign", "Assign"]);
  const load = f.stmts[1] as Extract<Stmt, { kind: "Load" }>;
  assert.deepEqual([load.to.map((i) => i.name), load.from.map((i) => i.name)], [["x", "y"], ["x", "z"]]);
});

test("syntax errors carry file:line:col and starlark-go's wording", () => {
  assert.equal(syntaxError("x = 1 +\n"), "t.star:1:8: got newline, want primary expression");
  assert.match(syntaxError("def f(1):\n"), /t.star:1:7: not an identifier/);
  assert.match(syntaxError("a, b, = 1, 2\n"), /unparenthesized tuple with trailing comma/);
  assert.match(syntaxError("x = a if b\n"), /conditional expression without else clause/);
  assert.match(syntaxError("f(1+2 = 3)\n"), /keyword argument must have form name=expr/);
  assert.match(syntaxError("x is y\n"), /got is, want newline/);
  assert.match(syntaxError("load(x)\n"), /first operand of load statement must be a string literal/);
});

test("every erroneous toplevel statement is reported, up to a lexical error", () => {
  const diagnostics = (src: string) => {
    try {
      parseFile(src, "t.star");
    } catch (e) {
      assert.ok(e instanceof StarlarkSyntaxError);
      return e.diagnostics.map((d) => `${d.pos.line}:${d.pos.col}: ${d.msg}`);
    }
    return [];
  };
  assert.deepEqual(diagnostics("a = 1 +\ndef f():\n  return 1 1\nok = 2\nc = )\nd = +\n"), [
    "1:8: got newline, want primary expression",
    "3:12: got int literal, want newline",
    "5:5: unexpected ')'",
  ]);
});
