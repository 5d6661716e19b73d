import assert from "node:assert/strict";
import { test } from "node:test";
import { compile, runModule, toJS, type JSValue } from "../index.ts";
import { checkGeneratedSource, PROLOGUE } from "./check-source.ts";

/** Names and strings that would do damage if they reached the generated JS as text. */
const HOSTILE = `
constructor = 1
__proto__ = {"process": 2}
def process(require, Function = "\\"); process.exit(1); (\\"", *globalThis, **prototype):
    eval = [require, Function, globalThis, prototype]
    return eval
toString = lambda valueOf: valueOf + "\`\${process}\` */ // <!-- \\u2028\\u2029 '); throw 1; ('"
hasOwnProperty = process("${"$"}{1+1}", x = 3)
K = [constructor for constructor in ["__defineGetter__", "\\u2028"]]
R = {__proto__: constructor for __proto__ in ["then", "arguments"]}
x = [constructor, __proto__, hasOwnProperty, toString("\\\\"), K, R, process.__class__ if False else "ok"]
`;

test("hostile identifiers and strings behave as plain Starlark", () => {
  const g = runModule(HOSTILE, { filename: "evil.star" });
  const tail = "`${process}` */ // <!-- \u2028\u2029 '); throw 1; ('";
  assert.deepEqual(toJS(g.x!) as JSValue, [
    1,
    { process: 2 },
    ["${1+1}", "\"); process.exit(1); (\"", [], { x: 3 }],
    "\\" + tail,
    ["__defineGetter__", "\u2028"],
    { then: 1, arguments: 1 },
    "ok",
  ]);
  assert.equal(Object.getPrototypeOf(g), Object.prototype);
  assert.deepEqual(Object.keys(g).sort(), ["K", "R", "__proto__", "constructor", "hasOwnProperty", "process", "toString", "x"]);
});

test("generated source contains no Starlark identifier or string", () => {
  const names = ["constructor", "__proto__", "process", "require", "Function", "globalThis", "prototype", "eval",
    "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "then", "arguments", "exit", "throw"];
  const program = compile(HOSTILE, { filename: "evil.star" });
  for (const n of names) assert.doesNotMatch(program.source, new RegExp(`\\b${n}\\b`), `generated code contains ${n}`);
  for (const s of ["\u2028", "`", "${", "<!--", "\\", "\""]) assert.ok(!program.source.includes(s), `generated code contains ${JSON.stringify(s)}`);
  assert.ok(!program.source.includes("evil"), "file name leaked into the code");
  // Only the prologue holds a string; the typeof tags are the only other quotes.
  assert.equal(program.source.replace(/'(number|string|boolean|bigint)'/g, "").slice(PROLOGUE.length).includes("'"), false);
});

test("the source check rejects anything outside the compiler's vocabulary", () => {
  assert.doesNotThrow(() => checkGeneratedSource(`${PROLOGUE}let l0 = k1 + 2;\n`));
  for (const bad of ["x = 'a';", "process.exit(1);", "l0 = \"s\";", "t0 = `x`;", "// c", "/* c */", "l0\u2028", "globalThis", "l0 = a\\u0062;"]) {
    assert.throws(() => checkGeneratedSource(PROLOGUE + bad), /internal error/, bad);
  }
  assert.throws(() => checkGeneratedSource("l0;"), /prologue/);
});

test("generated code reaches no host global", () => {
  // The factory's free names are only its parameters and runtime bindings: a program naming
  // JS globals sees Starlark names (here undefined ones are static errors).
  assert.throws(() => runModule("x = globalThis\n"), /undefined: globalThis/);
  assert.equal(runModule("Function = 1\nx = Function + 1\n").x, 2);
});

test("random strings and identifiers round-trip through the constant pool", () => {
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const alphabet = ["a", "Z", "_", "$", "`", "'", "\"", "\\", "\n", "\u2028", "\u2029", "${", "}", "/*", "//", "<!--", "\u0000", "é", "\ud83d\ude00", ")", ";", "k0", "K", "R"];
  for (let i = 0; i < 300; i++) {
    const text = Array.from({ length: 1 + rnd(12) }, () => alphabet[rnd(alphabet.length)]).join("");
    const name = `${["constructor", "__proto__", "toString", "K", "R", "th", "fr", "l0", "k1", "eval"][rnd(10)]}${rnd(3) === 0 ? "" : String(rnd(100))}`;
    const src = `${name} = ${JSON.stringify(text)}\ndef f(${name}_p = ${name}):\n  return {${name}_p: ${name}_p + ""}\nx = [${name}, f()]\n`;
    // Compiling runs the source check (any quote, backslash, non-ASCII or unknown name fails it).
    const program = compile(src, { filename: "r.star" });
    if (/^(constructor|__proto__|toString|eval)/.test(name)) assert.doesNotMatch(program.source, new RegExp(`\\b${name}`));
    assert.deepEqual(toJS(runModule(src, { filename: "r.star" }).x!), [text, { [text]: text }]);
  }
});
