/**
 * Runs a Starlark file: `npm run starlark -- FILE.star [--set] [--while]
 * [--recursion] [--globalreassign] [--toplevelcontrol] [--timeout=MS]
 * [--max-steps=N]`.
 *
 * print() goes to stdout. load("x.star", ...) reads x.star relative to the
 * loading file's directory. On failure the error (with its Starlark
 * backtrace) goes to stderr and the exit status is 1.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { formatDiagnostic, runModule, sourceLoader, StarlarkError, StarlarkSyntaxError, type Options } from "../index.ts";

const FLAGS: Record<string, keyof Options> = {
  "--set": "allowSet",
  "--while": "allowWhile",
  "--recursion": "allowRecursion",
  "--globalreassign": "allowGlobalReassign",
  "--toplevelcontrol": "allowToplevelControl",
};

function main(argv: string[]): number {
  const options: Options = {};
  const files: string[] = [];
  let timeoutMs: number | undefined, maxSteps: number | undefined;
  for (const a of argv) {
    const flag = FLAGS[a];
    const [name, value] = a.split("=", 2);
    if (flag !== undefined) options[flag] = true;
    else if (name === "--timeout" || name === "--max-steps") {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n <= 0) return usage(`${name} wants a positive integer`);
      if (name === "--timeout") timeoutMs = n;
      else maxSteps = n;
    } else if (a.startsWith("-")) return usage(`unknown flag ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) return usage("expected one file");
  const file = files[0]!;
  const dir = dirname(resolve(file));
  try {
    const source = readFileSync(file, "utf8");
    const load = sourceLoader((module) => {
      const p = resolve(dir, module);
      return existsSync(p) ? readFileSync(p, "utf8") : undefined;
    }, { options });
    runModule(source, { filename: file, options, load, timeoutMs, maxSteps, print: (msg) => process.stdout.write(msg + "\n") });
    return 0;
  } catch (e) {
    if (e instanceof StarlarkSyntaxError) {
      for (const d of e.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
    } else if (e instanceof StarlarkError) {
      process.stderr.write(e.format() + "\n");
    } else {
      process.stderr.write(`${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    return 1;
  }
}

function usage(msg: string): number {
  process.stderr.write(`${msg}\nusage: npm run starlark -- FILE.star [--set] [--while] [--recursion] [--globalreassign] [--toplevelcontrol] [--timeout=MS] [--max-steps=N]\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
