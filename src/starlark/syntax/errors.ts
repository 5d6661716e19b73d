/**
 * Static (pre-execution) errors: scanner, parser and resolver diagnostics.
 */
import { formatPosition, type Position } from "./tokens.ts";

/** One diagnostic with its position, e.g. `a.star:3:5: undefined: x`. */
export interface Diagnostic {
  readonly pos: Position;
  readonly msg: string;
}

/**
 * Thrown when a file does not scan, parse or resolve; carries every
 * diagnostic found (the resolver reports all; a syntax error stops parsing).
 *
 * @example
 *   try { parse("x = ", "a.star"); } catch (e) {
 *     if (e instanceof StarlarkSyntaxError) console.log(e.diagnostics[0].msg);
 *   }
 */
export class StarlarkSyntaxError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "StarlarkSyntaxError";
    this.diagnostics = diagnostics;
  }
}

/** Formats a diagnostic as `file:line:col: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${formatPosition(d.pos)}: ${d.msg}`;
}

/** Internal: aborts scanning/parsing at the first syntax error. */
export function syntaxError(file: string, line: number, col: number, msg: string): StarlarkSyntaxError {
  return new StarlarkSyntaxError([{ pos: { file, line, col }, msg }]);
}
