/**
 * `"constant format" % operands` with only `%d`, `%s` and `%%` directives:
 * the format is split at compile time, and when the operands are ints
 * (and, for `%s`, strings) the result is a plain concatenation — no
 * operand tuple, no format parsing at run time. Any other operand (or a
 * result over the string length limit) goes to the runtime's `%`, which
 * also produces every error.
 */
import type { BinaryExpr, Expr } from "../syntax/ast.ts";
import type { FnGen } from "./codegen.ts";
import { bindAll } from "./emit-expr.ts";

/** Literal text pieces around each directive: pieces.length === directives.length + 1. */
interface Format {
  readonly pieces: string[];
  readonly directives: Array<"d" | "s">;
}

/** Splits a format made only of text, %d, %s and %%; null for anything else. */
function parseFormat(f: string): Format | null {
  const pieces: string[] = [];
  const directives: Array<"d" | "s"> = [];
  let text = "";
  for (let i = 0; i < f.length; i++) {
    if (f[i] !== "%") {
      text += f[i];
      continue;
    }
    const c = f[++i];
    if (c === "%") {
      text += "%";
    } else if (c === "d" || c === "s") {
      pieces.push(text);
      directives.push(c);
      text = "";
    } else {
      return null;
    }
  }
  pieces.push(text);
  return directives.length === 0 ? null : { pieces, directives };
}

/** Whether `e` is `"literal" % ...`. */
export function isFormat(e: BinaryExpr): boolean {
  return e.op === "%" && e.x.kind === "Literal" && e.x.type === "string";
}

/** Emits `e` (a `%` with a string literal on the left) specialised, or returns null. */
export function emitFormat(g: FnGen, e: BinaryExpr): string | null {
  if (e.x.kind !== "Literal" || e.x.type !== "string") return null;
  const f = parseFormat(e.x.value as string);
  if (f === null) return null;
  const n = f.directives.length;
  const args: Expr[] | null = e.y.kind === "Tuple" ? (e.y.elts.length === n ? e.y.elts : null) : n === 1 ? [e.y] : null;
  if (args === null) return null;
  const fmt = g.k(e.x.value);
  const tuple = e.y.kind === "Tuple";
  return bindAll(g, args, (vals) => g.withTemp((r) => {
    const test = vals.map((v, i) => (f.directives[i] === "d" ? `typeof ${v} === 'number'`
      : `(typeof ${v} === 'string' || typeof ${v} === 'number')`)).join(" && ");
    // Concatenation converts ints to decimal, as str() does; the first piece makes it a string.
    const parts = [g.k(f.pieces[0]), ...vals.flatMap((v, i) => (f.pieces[i + 1] === "" ? [v] : [v, g.k(f.pieces[i + 1])]))];
    const operand = tuple ? `new Tuple([${vals.join(", ")}])` : vals[0]!;
    return `(${test} && (${r} = ${parts.join(" + ")}).length <= th.limits.maxStringLength ? ${r}`
      + ` : (${g.pos(e.line, e.col)}, mod(${fmt}, ${operand}, th)))`;
  }), true);
}
