/**
 * Checking an endpoint's or module's source when it is saved or test-run: it must scan,
 * parse and resolve (every name defined, the dialect's rules kept), and an endpoint must
 * define `def handle(req)`. Runs in the main process through the parser and resolver only:
 * nothing here compiles or executes tenant code.
 *
 * @example checkSource('def handle(req):\n    return "hi"\n', 'endpoint', dialect) // { loads: [] }
 */
import { Buffer } from 'node:buffer';
import { ScriptSyntaxError, ValidationError, withDetails } from '../errors.ts';
import { parse, resolve, StarlarkSyntaxError, type Diagnostic } from '../starlark/index.ts';
import { MAX_SOURCE_BYTES, PREDECLARED_PLACEHOLDERS, type Dialect } from './dialect.ts';

export type SourceKind = 'endpoint' | 'module';

export interface CheckedSource {
  /** The load() statements: module name and position, in order. */
  loads: Array<{ module: string; line: number; column: number }>;
}

/** At most this many diagnostics are returned (the first one carries line and column). */
const MAX_REPORTED = 20;

/** The file name scripts are compiled under; positions and backtraces show it. */
export function scriptFilename(kind: SourceKind, name?: string): string {
  return kind === 'endpoint' ? 'endpoint.star' : (name ?? 'module.star');
}

/** The 400 for static errors: the first one's line and column, and the list. */
export function syntaxError(diagnostics: readonly Diagnostic[]): Error {
  const listed = diagnostics.slice(0, MAX_REPORTED).map((d) => ({ line: d.pos.line, column: d.pos.col, message: d.msg }));
  const first = listed[0] ?? { line: 1, column: 1, message: 'invalid source' };
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
  return withDetails(new ScriptSyntaxError(`line ${first.line}, column ${first.column}: ${first.message}${more}`), {
    line: first.line, column: first.column, errors: listed,
  });
}

function problemAt(line: number, column: number, message: string): Error {
  return syntaxError([{ pos: { file: '', line, col: column }, msg: message }]);
}

/** Throws the 400 unless the file defines `def handle(req)` at top level, callable with one argument. */
function requireHandle(stmts: ReturnType<typeof parse>['stmts']): void {
  const def = stmts.find((s) => s.kind === 'Def' && s.name.name === 'handle');
  if (!def || def.kind !== 'Def') {
    throw problemAt(1, 1, 'an endpoint must define a top-level function "def handle(req):"');
  }
  const [first, ...others] = def.params;
  const takesOne = first !== undefined && (first.type === 'required' || first.type === 'star') &&
    others.every((p) => p.type !== 'required');
  if (!takesOne) throw problemAt(def.line, def.col, 'handle must take exactly one argument: def handle(req):');
}

/**
 * Checks `source` without running it; throws ScriptSyntaxError (400, details line/column)
 * or ValidationError (400, size).
 */
export function checkSource(source: string, kind: SourceKind, dialect: Dialect, name?: string): CheckedSource {
  if (Buffer.byteLength(source, 'utf8') > MAX_SOURCE_BYTES) {
    throw new ValidationError(`source must be at most ${MAX_SOURCE_BYTES / 1024} KB`);
  }
  if (!source.isWellFormed()) throw new ValidationError('source must be valid Unicode text');
  const filename = scriptFilename(kind, name);
  let file: ReturnType<typeof parse>;
  try {
    file = parse(source, filename);
  } catch (error) {
    if (error instanceof StarlarkSyntaxError) throw syntaxError(error.diagnostics);
    throw error;
  }
  const diagnostics = resolve(source, filename, { predeclared: PREDECLARED_PLACEHOLDERS, options: dialect });
  if (diagnostics.length > 0) throw syntaxError(diagnostics);
  if (kind === 'endpoint') requireHandle(file.stmts);
  const loads = file.stmts.flatMap((s) => (s.kind === 'Load' ? [{ module: s.module, line: s.line, column: s.col }] : []));
  return { loads };
}
