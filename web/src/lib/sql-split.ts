/**
 * Splits the console's text into statements, so "run all" can send several at once (the
 * SQL API takes one statement or a batch) and an error can be marked at its place in the
 * editor. Semicolons inside strings, quoted names, comments and a trigger's BEGIN … END
 * body do not split. Pieces that hold only comments are dropped.
 */
export interface Piece {
  /** The statement without the semicolon and surrounding white space. */
  text: string;
  /** Offset of `text` in the source. */
  start: number;
}

const WORD = /[A-Za-z0-9_$]/;

function isBlank(text: string): boolean {
  return text.replace(/--[^\n]*|\/\*[\s\S]*?(\*\/|$)/g, '').trim() === '';
}

/** @example splitStatements("SELECT 1; SELECT ';'").map((p) => p.text) // ['SELECT 1', "SELECT ';'"] */
export function splitStatements(source: string): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  let words: string[] = [];
  let depth = 0;
  const push = (end: number) => {
    const raw = source.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (!isBlank(text)) pieces.push({ text, start: start + lead });
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i++;
      while (i < source.length) {
        if (source[i] === close) {
          if (close !== ']' && source[i + 1] === close) { i += 2; continue; } // doubled quote
          break;
        }
        i++;
      }
      i++;
      continue;
    }
    if (c === '-' && next === '-') { while (i < source.length && source[i] !== '\n') i++; continue; }
    if (c === '/' && next === '*') { const end = source.indexOf('*/', i + 2); i = end < 0 ? source.length : end + 2; continue; }
    if (WORD.test(c)) {
      let j = i;
      while (j < source.length && WORD.test(source[j])) j++;
      const word = source.slice(i, j).toUpperCase();
      if (words.length < 4) words.push(word);
      const trigger = words[0] === 'CREATE' && (words[1] === 'TRIGGER' || (words[2] === 'TRIGGER' && /^TEMP(ORARY)?$/.test(words[1])));
      if (trigger) {
        if (word === 'BEGIN' || word === 'CASE') depth++;
        else if (word === 'END' && depth > 0) depth--;
      }
      i = j;
      continue;
    }
    if (c === ';' && depth === 0) {
      push(i);
      start = i + 1;
      words = [];
    }
    i++;
  }
  push(source.length);
  return pieces;
}

/** The offset in `text` of a 1-based line and column (clamped to the text). */
export function offsetAt(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const newline = text.indexOf('\n', offset);
    if (newline < 0) return text.length;
    offset = newline + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}
