import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";

// Every ```ts block of README.md must run as written (imports rewritten to this directory).
const readme = readFileSync(join(import.meta.dirname, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const index = pathToFileURL(join(import.meta.dirname, "index.ts")).href;
const dir = mkdtempSync(join(tmpdir(), "starlark-readme-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("README has examples", () => {
  assert.ok(blocks.length >= 4);
});

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs`, () => {
    const file = join(dir, `example${i + 1}.ts`);
    writeFileSync(file, code.replaceAll('"./src/starlark/index.ts"', JSON.stringify(index)));
    const r = spawnSync(process.execPath, [file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });
});
