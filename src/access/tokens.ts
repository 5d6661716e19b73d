/**
 * A small SQLite tokenizer, used only to find identifiers before SQLite sees the text.
 *
 * Why not trust the parser alone: the reserved-name rule must hold even for text the parser
 * cannot read, and it must see identifiers in every quoting SQLite accepts: bare words,
 * "double quotes" (which SQLite may also read as a string), [brackets] and `backticks`.
 * The tokenizer follows SQLite's own rules (tokenize.c): '' doubles a quote inside a string,
 * "" and `` likewise, brackets have no escape, comments are `-- …\n` and `/* … *\/` (an
 * unterminated block comment runs to the end). Anything it does not know is one character of
 * punctuation, which can only make it see more words, never fewer.
 */

export interface Identifier {
  /** The identifier without its quotes, with doubled quotes undone. */
  name: string;
  /** Offset of the token in the SQL text. */
  offset: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Reads a quoted token that starts at `start` and ends with `close` (doubled = escaped). */
function readQuoted(sql: string, start: number, close: string, doubling: boolean): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === close) {
      if (doubling && sql[i + 1] === close) {
        text += close;
        i += 2;
        continue;
      }
      return { text, end: i + 1 };
    }
    text += ch;
    i++;
  }
  return { text, end: sql.length };
}

/**
 * Every identifier-like token of `sql`: bare words (keywords included) and quoted names.
 * @example identifiers('SELECT "a""b" FROM [t]').map((t) => t.name) // ['SELECT', 'a"b', 'FROM', 't']
 */
export function identifiers(sql: string): Identifier[] {
  const found: Identifier[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (ch === "'") {
      i = readQuoted(sql, i, "'", true).end;
    } else if (ch === '"' || ch === '`') {
      const { text, end } = readQuoted(sql, i, ch, true);
      found.push({ name: text, offset: i });
      i = end;
    } else if (ch === '[') {
      const { text, end } = readQuoted(sql, i, ']', false);
      found.push({ name: text, offset: i });
      i = end;
    } else if ((ch === 'x' || ch === 'X') && sql[i + 1] === "'") {
      i = readQuoted(sql, i + 1, "'", true).end; // blob literal
    } else if ((ch === '$' || ch === ':' || ch === '@' || ch === '?') ) {
      // A parameter name is not an identifier of the schema; skip its word.
      i++;
      while (i < sql.length && WORD_PART.test(sql[i])) i++;
    } else if (WORD_START.test(ch)) {
      const start = i;
      while (i < sql.length && WORD_PART.test(sql[i])) i++;
      found.push({ name: sql.slice(start, i), offset: start });
    } else {
      i++;
    }
  }
  return found;
}

/**
 * Name prefixes tenant SQL may never touch: ours, and Litestream's (cluster mode replicates
 * each cenv with Litestream, which keeps `_litestream_seq` and `_litestream_lock` in the
 * file; a tenant who dropped or locked them would stall its own replication and let the WAL
 * grow on the host's disk).
 */
const RESERVED_PREFIXES = ['_wce_', '_litestream_'];
/** How error messages name the reserved namespace. */
export const RESERVED_NAMESPACE = 'names beginning with _wce_ or _litestream_ are reserved';

/**
 * A schema name folded the way SQLite compares names: ASCII letters only (`'Posts'` and
 * `'posts'` are one table, `'É'` and `'é'` are two). Every map keyed by table name uses it.
 * @example foldCase('Ünï_Posts') // 'Ünï_posts'
 */
export function foldCase(name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** True for a name in the reserved namespace, in any ASCII case (SQLite folds ASCII only). */
export function isReservedName(name: string | null | undefined): boolean {
  if (name == null) return false;
  const lower = name.slice(0, 12).toLowerCase();
  return RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * The first identifier of `sql` in the reserved `_wce_`/`_litestream_` namespace, or null.
 * @example reservedIdentifier('SELECT * FROM [_WCE_users]') // { name: '_WCE_users', offset: 14 }
 */
export function reservedIdentifier(sql: string): Identifier | null {
  return identifiers(sql).find((token) => isReservedName(token.name)) ?? null;
}
