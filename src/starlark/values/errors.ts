/**
 * The one error type raised by Starlark evaluation. Messages never contain a
 * JS stack; `format()` renders a starlark-go style traceback.
 */

/** A source position. Lines and columns are 1-based; 0 means unknown. */
export interface Pos {
  file: string;
  line: number;
  col: number;
}

/** One backtrace entry: the function name and the position reached in it. */
export interface BacktraceFrame {
  name: string;
  pos: Pos;
}

export class StarlarkError extends Error {
  /** The bare message, without position or traceback. */
  readonly msg: string;
  /** Where the error happened (innermost frame); null until attached. */
  pos: Pos | null = null;
  /** Outermost call first; empty until attached. */
  backtrace: BacktraceFrame[] = [];

  constructor(msg: string) {
    super(msg);
    this.name = 'StarlarkError';
    this.msg = msg;
  }

  /** `Traceback (most recent call last):\n  file:line:col: in fn\n...\nError: msg`. */
  format(): string {
    if (this.backtrace.length === 0) return `Error: ${this.msg}`;
    const lines = ['Traceback (most recent call last):'];
    for (const f of this.backtrace) lines.push(`  ${formatPos(f.pos)}: in ${f.name}`);
    lines.push(`Error: ${this.msg}`);
    return lines.join('\n');
  }
}

/** `file:line:col`, dropping unknown parts. */
export function formatPos(p: Pos): string {
  if (p.line === 0) return p.file;
  return p.col === 0 ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.col}`;
}

/** Throws a StarlarkError; typed `never` so callers can write `return fail(...)`. */
export function fail(msg: string): never {
  throw new StarlarkError(msg);
}

/**
 * Converts anything thrown during evaluation into a StarlarkError: JS stack
 * overflows become a Starlark error instead of crashing the host.
 */
export function toStarlarkError(e: unknown): StarlarkError {
  if (e instanceof StarlarkError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new StarlarkError('Starlark stack overflow: JS call stack exhausted');
  }
  if (e instanceof RangeError && /Invalid (string|array|typed array) length|allocation failed/i.test(e.message)) {
    return new StarlarkError(`out of memory: ${e.message}`);
  }
  return new StarlarkError(`internal error: ${e instanceof Error ? e.message : String(e)}`);
}
