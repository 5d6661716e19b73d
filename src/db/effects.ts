/**
 * What a write statement did, for its audit row and the commit hooks: the action and the
 * table. For INSERT/UPDATE/DELETE the access guard's authorizer record already says it (the
 * statement's own target is the first write SQLite reports, before any trigger's). For DDL
 * the kind and the object are read from the statement's first few tokens — a full parse
 * costs 250–450 µs per new statement text, far more than the write itself.
 */
import type { GatedStatement } from './gate.ts';

export interface Effect {
  /** `insert`, `update`, `delete`, or the DDL kind (`create_table`, `drop_index`, …). */
  action: string;
  table: string | null;
}

const UNKNOWN: Effect = Object.freeze({ action: 'sql', table: null });
const KINDS = new Set(['table', 'index', 'view', 'trigger']);

/**
 * The leading tokens of `sql` (at most `max`): words and quoted names as their text,
 * punctuation as itself; comments and white space skipped.
 */
function tokens(sql: string, max: number): string[] {
  const out: string[] = [];
  const lexer = /\s+|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|([\p{L}\p{N}_$]+)|([\s\S])/uy;
  while (out.length < max && lexer.lastIndex < sql.length) {
    const match = lexer.exec(sql);
    if (!match) break;
    const [, dq, bq, br, word, other] = match;
    if (dq !== undefined) out.push(dq.replaceAll('""', '"'));
    else if (bq !== undefined) out.push(bq.replaceAll('``', '`'));
    else if (br !== undefined) out.push(br);
    else if (word !== undefined) out.push(word);
    else if (other !== undefined) out.push(other);
  }
  return out;
}

/** `name` or `schema.name` at `at`; returns the name and the index after it. */
function qualifiedName(words: string[], at: number): [string | null, number] {
  if (words[at + 1] === '.') return [words[at + 2] ?? null, at + 3];
  return [words[at] ?? null, at + 1];
}

/**
 * The kind and object of a DDL statement, from its tokens.
 * @example ddlEffect('CREATE INDEX IF NOT EXISTS i ON main.notes (x)') // { action: 'create_index', table: 'notes' }
 */
export function ddlEffect(sql: string): Effect {
  const words = tokens(sql, 16);
  const lower = words.map((w) => w.toLowerCase());
  const verb = lower[0];
  if (verb !== 'create' && verb !== 'drop' && verb !== 'alter') return words.length ? { action: lower[0], table: null } : UNKNOWN;
  let at = 1;
  while (['temp', 'temporary', 'unique'].includes(lower[at])) at++;
  let kind = lower[at];
  if (kind === 'virtual' && lower[at + 1] === 'table') {
    kind = 'virtual_table';
    at++;
  }
  if (!KINDS.has(kind) && kind !== 'virtual_table') return { action: verb, table: null };
  at++;
  if (lower[at] === 'if') at += lower[at + 1] === 'not' ? 3 : 2;
  let [name, next] = qualifiedName(words, at);
  // An index belongs to the table it is ON.
  if (kind === 'index' && verb === 'create' && lower[next] === 'on') [name] = qualifiedName(words, next + 1);
  return { action: `${verb}_${kind}`, table: name };
}

/**
 * The main effect of a statement the gate found to write.
 * @example mainEffect('DELETE FROM posts WHERE id = ?', prepared) // { action: 'delete', table: 'posts' }
 */
export function mainEffect(sql: string, prepared: Pick<GatedStatement, 'writes' | 'ddl'>): Effect {
  if (prepared.ddl) return ddlEffect(sql);
  const [first] = prepared.writes;
  return first ? { action: first.operations[0], table: first.table } : UNKNOWN;
}

const READ_VERB = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(select|values|explain|with)\b/i;
const WRITE_WORDS = new Set(['insert', 'update', 'delete', 'replace']);

/**
 * A cheap guess, from the leading words, whether `sql` may write: false for SELECT, VALUES,
 * EXPLAIN and a WITH that names no INSERT/UPDATE/DELETE/REPLACE. Only a scheduling hint (the
 * sandbox keeps one cenv's writes on one child); access control never relies on it. Runs on
 * every SQL request in the main process, so the common case is one anchored regex.
 * @example mayWrite('SELECT 1') === false; mayWrite('WITH x AS (SELECT 1) DELETE FROM t') === true
 */
export function mayWrite(sql: string): boolean {
  const verb = READ_VERB.exec(sql)?.[1]?.toLowerCase();
  if (verb === undefined) return true;
  if (verb !== 'with') return false;
  const words = tokens(sql, 64).map((w) => w.toLowerCase());
  return words.some((w) => WRITE_WORDS.has(w)) || words.length >= 64;
}
