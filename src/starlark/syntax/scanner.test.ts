import assert from "node:assert/strict";
import { test } from "node:test";
import { scan } from "./scanner.ts";
import { StarlarkSyntaxError } from "./errors.ts";

const kinds = (src: string) => scan(src, "t.star").map((t) => t.kind);
const values = (src: string) => scan(src, "t.star").filter((t) => t.value !== undefined).map((t) => t.value);
const scanError = (src: string): string => {
  try {
    scan(src, "t.star");
  } catch (e) {
    assert.ok(e instanceof StarlarkSyntaxError);
    return e.message;
  }
  return assert.fail("expected a scan error");
};

test("indentation produces INDENT/OUTDENT and a final NEWLINE", () => {
  assert.deepEqual(kinds("if x:\n  y\nz"), ["if", "IDENT", ":", "NEWLINE", "INDENT", "IDENT", "NEWLINE", "OUTDENT", "IDENT", "NEWLINE", "EOF"]);
});

test("a tab advances to the next multiple of 8", () => {
  // 8 spaces and one tab are the same level; mixing is accepted like starlark-go.
  assert.deepEqual(kinds("def f():\n\tx\n        y\n"), ["def", "IDENT", "(", ")", ":", "NEWLINE", "INDENT", "IDENT", "NEWLINE", "IDENT", "NEWLINE", "OUTDENT", "EOF"]);
  assert.match(scanError("if x:\n    a\n  b\n"), /t.star:3:3: unindent does not match any outer indentation level/);
});

test("blank lines, comments, brackets and backslashes join lines", () => {
  assert.deepEqual(kinds("x = (1,\n\n  2) # c\n\n# only comment\ny = 1 + \\\n 2\n"),
    ["IDENT", "=", "(", "INT", ",", "INT", ")", "NEWLINE", "IDENT", "=", "INT", "+", "INT", "NEWLINE", "EOF"]);
  assert.match(scanError("x = 1 \\ 2"), /stray backslash/);
});

test("int literals in every base, bigints, and the obsolete octal form", () => {
  assert.deepEqual(values("0 7 0x1F 0o17 0b101 0XfF 00"), [0, 7, 31, 15, 5, 255, 0]);
  assert.deepEqual(values("123456789012345678901234567890"), [123456789012345678901234567890n]);
  assert.match(scanError("x = 0755"), /obsolete form of octal literal; use 0o755/);
  assert.match(scanError("x = 0x"), /invalid hex literal/);
  assert.match(scanError("x = 0b2"), /invalid binary literal/);
});

test("float literals", () => {
  assert.deepEqual(scan("1e10 .5 1. 1.5e-3 0.0", "t").filter((t) => t.kind === "FLOAT").map((t) => t.value), [1e10, 0.5, 1, 1.5e-3, 0]);
  assert.match(scanError("x = 1e"), /invalid float literal/);
});

test("string escapes", () => {
  assert.deepEqual(values(String.raw`"a\nb\t\x41\u00e9\U0001F600\101\\\"'"`), ["a\nb\tAé😀A\\\"'"]);
  assert.deepEqual(values(String.raw`r"a\nb" '''x
y''' """q"q"""`), [String.raw`a\nb`, "x\ny", 'q"q']);
  assert.match(scanError(String.raw`s = "\q"`), /invalid escape sequence \\q/);
  assert.match(scanError(String.raw`s = "\xff"`), /non-ASCII hex escape/);
  assert.match(scanError("s = 'abc\n'"), /unexpected newline in string/);
  assert.match(scanError("s = '''abc"), /unexpected EOF in string/);
});

test("bytes literals hold raw bytes", () => {
  assert.deepEqual(values(String.raw`b"A\xff\377é"`), [Uint8Array.from([65, 255, 255, 0xc3, 0xa9])]);
  assert.deepEqual(values(String.raw`rb"\x"`), [Uint8Array.from([92, 120])]);
});

test("punctuation is matched greedily; keywords are tokens", () => {
  assert.deepEqual(kinds("a //= b ** c != d and not e"), ["IDENT", "//=", "IDENT", "**", "IDENT", "!=", "IDENT", "and", "not", "IDENT", "NEWLINE", "EOF"]);
  assert.match(scanError("a ! b"), /unexpected input character '!'/);
  assert.match(scanError("x = )"), /unexpected '\)'/);
});

test("CRLF line endings, unterminated last line in a block, empty input", () => {
  assert.deepEqual(kinds("if x:\r\n  y = 'a\\\r\nb'"), ["if", "IDENT", ":", "NEWLINE", "INDENT", "IDENT", "=", "STRING", "NEWLINE", "OUTDENT", "EOF"]);
  assert.deepEqual(values("s = 'a\\\r\nb'"), ["s", "ab"]);
  assert.deepEqual(kinds(""), ["EOF"]);
  assert.deepEqual(kinds("# only a comment"), ["EOF"]);
  assert.deepEqual(values("héllo_1 = 1"), ["héllo_1", 1]);
});
