/**
 * Running the console's SQL: what to send (the selection or everything; one statement or a
 * batch; `EXPLAIN QUERY PLAN` of the statement at the cursor), and where in the editor an
 * error belongs — the server's line/column for syntax errors, else the name SQLite
 * complains about, else the whole failing statement.
 */
import type { ApiError } from '../../lib/api.ts';
import { offsetAt, splitStatements, type Piece } from '../../lib/sql-split.ts';
import type { SqlValue } from '../../lib/values.ts';

export interface SqlResult { columns: string[]; rows: SqlValue[][]; changes: number; last_insert_rowid: number | { $int: string }; truncated: boolean }

export interface Plan {
  /** Statements as sent, with their offsets in the editor. */
  pieces: Piece[];
  body: Record<string, unknown>;
  /** Characters added in front of each statement (EXPLAIN QUERY PLAN). */
  prefix: number;
  explain: boolean;
}

const EXPLAIN = 'EXPLAIN QUERY PLAN ';

/** The statement the cursor is in (or just after), else the first. */
function pieceAt(pieces: Piece[], cursor: number): Piece {
  return pieces.find((p) => cursor >= p.start && cursor <= p.start + p.text.length + 1) ?? pieces[0];
}

/**
 * The one statement of `text` (found at `base` in the editor) that the cursor is in, sent as
 * a plan of its own (the policy debugger explains one statement). Null when there is none.
 */
export function single(text: string, base: number, cursor: number): Plan | null {
  const pieces = splitStatements(text).map((p) => ({ text: p.text, start: p.start + base }));
  if (pieces.length === 0) return null;
  const piece = pieceAt(pieces, cursor);
  return { pieces: [piece], body: { sql: piece.text }, prefix: 0, explain: false };
}

/**
 * What to send for `text` found at `base` in the editor. Null when there is nothing to run.
 * `cursor` picks the statement to explain.
 */
export function plan(text: string, base: number, explain: boolean, cursor: number, asUser: string | null): Plan | null {
  let pieces = splitStatements(text).map((p) => ({ text: p.text, start: p.start + base }));
  if (pieces.length === 0) return null;
  if (explain) {
    const at = pieceAt(pieces, cursor);
    const bare = at.text.replace(/^explain\s+(query\s+plan\s+)?/i, '');
    pieces = [{ text: bare, start: at.start + (at.text.length - bare.length) }];
  }
  const prefix = explain ? EXPLAIN.length : 0;
  const sent = pieces.map((p) => (explain ? EXPLAIN : '') + p.text);
  const body: Record<string, unknown> = sent.length === 1 ? { sql: sent[0] } : { statements: sent.map((sql) => ({ sql })) };
  if (asUser) body.as_user = asUser;
  return { pieces, body, prefix, explain };
}

/** The results of a reply, one per statement. */
export function resultsOf(reply: SqlResult | { results: SqlResult[] }): SqlResult[] {
  return 'results' in reply ? reply.results : [reply];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The name an error message is about ("no such column: nope" → nope), if any. */
function culprit(message: string): string | null {
  const match = /no such (?:column|table|function|index|view|collation sequence): ([^\s,]+)/i.exec(message)
    ?? /near "([^"]+)": syntax error/i.exec(message)
    ?? /(?:table|column|index|view) "?([\w$]+)"? (?:already exists|may not)/i.exec(message)
    ?? /(?:on|into|from) ([\w$]+)\b/i.exec(message);
  if (!match) return null;
  return match[1].includes('.') ? match[1].split('.').pop()! : match[1];
}

/**
 * Where `error` belongs in the editor, as [start, end) offsets, and its message without the
 * batch prefix.
 */
export function locate(error: ApiError, sent: Plan): { start: number; end: number; message: string; statement: number } {
  let message = error.message;
  let index = 0;
  const batch = /^statements\[(\d+)\]: /.exec(message);
  if (batch) { index = Number(batch[1]); message = message.slice(batch[0].length); }
  const piece = sent.pieces[Math.min(index, sent.pieces.length - 1)];
  const line = Number(error.details?.line);
  const column = Number(error.details?.column);
  if (line > 0 && column > 0) {
    const inSent = offsetAt((sent.explain ? EXPLAIN : '') + piece.text, line, column) - sent.prefix;
    const at = Math.max(0, Math.min(piece.text.length, inSent));
    const word = /^[\w$]+|^./.exec(piece.text.slice(at))?.[0] ?? ' ';
    return { start: piece.start + at, end: piece.start + at + word.length, message, statement: index };
  }
  const name = culprit(message);
  if (name) {
    const found = new RegExp(`(^|[^\\w$])(${escapeRegExp(name)})(?![\\w$])`, 'i').exec(piece.text);
    if (found) {
      const at = found.index + found[1].length;
      return { start: piece.start + at, end: piece.start + at + found[2].length, message, statement: index };
    }
  }
  return { start: piece.start, end: piece.start + piece.text.length, message, statement: index };
}
