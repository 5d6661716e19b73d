/**
 * Conformance runner for starlark-go style test files.
 *
 *   npm run starlark:conformance -- DIR... [--verbose] [--mode=exec|resolve|parse]
 *
 * Every *.star file under DIR is split into chunks (see chunks.ts). The mode
 * follows the directory, as in starlark-go: files under a `syntax/` directory
 * are only parsed, under `resolve/` parsed and resolved, others executed with
 * the assert.star module. A chunk's static or dynamic errors are matched
 * against its `###` expectations by line. Prints one line per file and a
 * final `N passed, M failed` (assertions plus expected-error checks).
 * proto.star and the benchmark inputs are skipped (see SKIPPED).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve as resolvePath } from "node:path";
import { newThread, parse, resolve, runModule, StarlarkError, StarlarkSyntaxError, type Options } from "../index.ts";
import type { Value } from "../values/value.ts";
import { assertModule, testPredeclared, type Reporter } from "./assert-module.ts";
import { readChunks, type Chunk } from "./chunks.ts";

type Mode = "exec" | "resolve" | "parse";

/**
 * Files that are not conformance tests: proto.star needs protocol buffers;
 * the others are inputs to starlark-go's benchmarks and parameter tests.
 */
const SKIPPED = new Set(["proto.star", "benchmark.star", "paths.star", "function_param.star"]);
/**
 * Deliberate differences that would abort the rest of their chunk: these
 * lines (or line ranges of one statement) are blanked before running and
 * each counts as one failure. Strings here are UTF-16 code units, where
 * starlark-go's are UTF-8 bytes: no string holds invalid UTF-8, so a string's
 * length, its elems/elem_ords, and slices through a character differ.
 */
const KNOWN_DIFFERENCES: Record<string, { reason: string; lines: Array<number | [number, number]> }> = {
  "string.star": {
    reason: "strings are UTF-16 code units, not UTF-8 bytes",
    lines: [31, 32, 44, 47, 53, 62, 70, 71, 74, [79, 82], [83, 86], 89, 93, 94, 132],
  },
};

/** Per-chunk wall-clock limit, so a runaway loop fails the chunk instead of hanging the run. */
const CHUNK_TIMEOUT_MS = 20_000;

/** Library modules loadable by tests, from the runtime's lib/ (absent ones fail to load). */
const LIBRARIES: Record<string, Record<string, Value>> = await loadLibraries();

async function loadLibraries(): Promise<Record<string, Record<string, Value>>> {
  const out: Record<string, Record<string, Value>> = {};
  for (const name of ["json", "math", "time"]) {
    try {
      const mod = (await import(`../lib/${name}.ts`)) as Record<string, unknown>;
      if (mod[name] !== undefined) out[`${name}.star`] = { [name]: mod[name] as Value };
    } catch {
      // Not implemented (yet): load("name.star", ...) will report it.
    }
  }
  return out;
}

/** Outcome counts of one file. */
interface Tally {
  passed: number;
  failed: number;
  failures: string[];
}

function optionsOf(src: string): Options {
  const has = (name: string) => src.includes(`option:${name}`);
  return {
    allowSet: has("set"), allowWhile: has("while"), allowRecursion: has("recursion"),
    allowGlobalReassign: has("globalreassign"), allowToplevelControl: has("toplevelcontrol"),
    loadBindsGlobally: has("loadbindsglobally"),
  };
}

/** Tracks one chunk's expectations as errors arrive. */
class ChunkCheck {
  private readonly want: Map<number, RegExp>;
  private readonly tally: Tally;
  private readonly file: string;

  constructor(chunk: Chunk, tally: Tally, file: string) {
    this.want = new Map(chunk.want);
    this.tally = tally;
    this.file = file;
    for (const b of chunk.bad) this.fail(b);
  }

  fail(msg: string): void {
    this.tally.failed++;
    this.tally.failures.push(`${this.file}: ${msg}`);
  }

  gotError(line: number, msg: string): void {
    const rx = this.want.get(line);
    if (rx === undefined) return this.fail(`line ${line}: unexpected error: ${msg}`);
    this.want.delete(line);
    if (rx.test(msg)) this.tally.passed++;
    else this.fail(`line ${line}: error ${JSON.stringify(msg)} does not match pattern ${rx}`);
  }

  done(): void {
    for (const [line, rx] of this.want) this.fail(`line ${line}: expected error matching ${rx}`);
  }
}

function runChunk(mode: Mode, path: string, chunk: Chunk, check: ChunkCheck, tally: Tally, verbose: boolean): void {
  const options = optionsOf(chunk.source);
  if (mode === "parse") {
    try {
      parse(chunk.source, path);
    } catch (e) {
      if (!(e instanceof StarlarkSyntaxError)) throw e;
      for (const d of e.diagnostics) check.gotError(d.pos.line, d.msg);
    }
    return;
  }
  if (mode === "resolve") {
    // starlark-go's resolver test predeclares M and treats U as universal.
    for (const d of resolve(chunk.source, path, { predeclared: { M: null, U: null }, options })) check.gotError(d.pos.line, d.msg);
    return;
  }
  const reporter: Reporter = {
    pass: () => void tally.passed++,
    fail: (msg, line) => check.fail(`line ${line}: ${msg}`),
  };
  const assertGlobals = assertModule(reporter);
  const thread = newThread({
    options,
    timeoutMs: CHUNK_TIMEOUT_MS,
    print: verbose ? (msg) => console.log(msg) : () => {},
    load: (module) => {
      if (module === "assert.star") return assertGlobals;
      const lib = LIBRARIES[module];
      if (lib === undefined) throw new StarlarkError(`no such module: ${module}`);
      return lib;
    },
  });
  try {
    runModule(chunk.source, { filename: path, predeclared: testPredeclared(), options, thread });
  } catch (e) {
    if (e instanceof StarlarkSyntaxError) {
      for (const d of e.diagnostics) check.gotError(d.pos.line, d.msg);
    } else if (e instanceof StarlarkError) {
      // Report at the innermost frame of this file, as starlark-go's harness does.
      const frame = [...e.backtrace].reverse().find((f) => f.pos.file === path);
      if (frame === undefined) check.fail(`error outside the file: ${e.format()}`);
      else check.gotError(frame.pos.line, e.msg);
    } else {
      throw e;
    }
  }
}

function modeOf(path: string, forced: Mode | null): Mode {
  if (forced !== null) return forced;
  if (/(^|[/\\])syntax[/\\]/.test(path)) return "parse";
  if (/(^|[/\\])resolve[/\\]/.test(path)) return "resolve";
  return "exec";
}

/** Blanks the known-difference lines of a file, counting each as a failure. */
function withoutKnownDifferences(name: string, text: string, tally: Tally): string {
  const known = KNOWN_DIFFERENCES[name];
  if (known === undefined) return text;
  const lines = text.split("\n");
  for (const entry of known.lines) {
    const [from, to] = typeof entry === "number" ? [entry, entry] : entry;
    for (let l = from; l <= to; l++) lines[l - 1] = "";
    tally.failed++;
    tally.failures.push(`${name}: line ${from}: deliberate difference (${known.reason}), not run`);
  }
  return lines.join("\n");
}

function runFile(path: string, mode: Mode, verbose: boolean): Tally {
  const tally: Tally = { passed: 0, failed: 0, failures: [] };
  const name = path.split(/[/\\]/).pop()!;
  for (const chunk of readChunks(withoutKnownDifferences(name, readFileSync(path, "utf8"), tally))) {
    const check = new ChunkCheck(chunk, tally, name);
    runChunk(mode, path, chunk, check, tally, verbose);
    check.done();
  }
  return tally;
}

function starFiles(root: string): string[] {
  if (statSync(root).isFile()) return [root];
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, entry.name);
    if (entry.isDirectory()) out.push(...starFiles(p));
    else if (entry.name.endsWith(".star") && !SKIPPED.has(entry.name)) out.push(p);
  }
  return out.sort();
}

function main(argv: string[]): number {
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  const modeArg = argv.find((a) => a.startsWith("--mode="));
  const forced = modeArg === undefined ? null : (modeArg.slice("--mode=".length) as Mode);
  const roots = argv.filter((a) => !a.startsWith("-"));
  if (roots.length === 0) {
    process.stderr.write("usage: npm run starlark:conformance -- DIR... [--verbose] [--mode=exec|resolve|parse]\n");
    return 2;
  }
  let passed = 0, failed = 0;
  for (const root of roots) {
    for (const file of starFiles(resolvePath(root))) {
      const t = runFile(file, modeOf(file, forced), verbose);
      passed += t.passed;
      failed += t.failed;
      console.log(`${relative(resolvePath(root), file) || file}: ${t.passed} passed, ${t.failed} failed`);
      if (verbose) for (const f of t.failures) console.log(`  ${f}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
