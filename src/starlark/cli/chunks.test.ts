import assert from "node:assert/strict";
import { test } from "node:test";
import { readChunks, toRegExp } from "./chunks.ts";

test("chunks keep their original line numbers", () => {
  const chunks = readChunks('a = 1\nb = 2 ### "boom"\n---\nc = 3 ### `x\\(y`\n---\nd = 4\n');
  assert.equal(chunks.length, 3);
  assert.deepEqual([...chunks[0]!.want.keys()], [2]);
  assert.deepEqual([...chunks[1]!.want.keys()], [4]);
  assert.equal(chunks[1]!.source.split("\n")[3], "c = 3 ### `x\\(y`");
  assert.ok(chunks[1]!.want.get(4)!.test("x(y"));
  assert.equal(chunks[2]!.source.split("\n")[5], "d = 4");
});

test("go string literal patterns; decorative #### lines are comments; malformed ones are reported", () => {
  const [chunk] = readChunks('x ### "a\\tb"\n################\ny ### not quoted\n');
  assert.ok(chunk!.want.get(1)!.test("a\tb"));
  assert.equal(chunk!.want.size, 1);
  assert.deepEqual(chunk!.bad, ["line 3: not a quoted regexp: not quoted"]);
});

test("RE2 case-insensitive prefix", () => {
  assert.ok(toRegExp("(?i)HELLO").test("hello"));
});
