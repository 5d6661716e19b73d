/**
 * Token kinds and source positions shared by the scanner and the parser.
 *
 * Punctuation and keyword tokens use their own spelling as kind ("(", "def",
 * "not in"); tokens carrying a value use an upper-case kind ("IDENT", "INT").
 */

/** A 1-based line/column position in a named file. */
export interface Position {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface Token {
  /** Kind: "IDENT", "INT", ..., or the spelling of a punctuation/keyword token. */
  readonly kind: string;
  readonly line: number;
  readonly col: number;
  /** IDENT name, STRING text, INT (number | bigint), FLOAT number, BYTES Uint8Array. */
  readonly value?: string | number | bigint | Uint8Array;
}

/** Words the scanner turns into keyword tokens. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "and", "break", "continue", "def", "elif", "else", "for", "if", "in", "lambda",
  "load", "not", "or", "pass", "return", "while",
  // Reserved (following Python), unused in Starlark.
  "as", "async", "await", "class", "del", "except", "finally", "from", "global",
  "import", "is", "nonlocal", "raise", "try", "with", "yield",
]);

/** Punctuation, longest first so the scanner can match greedily. */
export const PUNCTUATION: readonly string[] = [
  "//=", "<<=", ">>=", "**",
  "+=", "-=", "*=", "/=", "//", "%=", "&=", "|=", "^=", "<<", ">>", "<=", ">=", "==", "!=",
  "+", "-", "*", "/", "%", "&", "|", "^", "~", ".", ",", "=", ";", ":",
  "(", ")", "[", "]", "{", "}", "<", ">",
];

const PUNCT_SET: ReadonlySet<string> = new Set(PUNCTUATION);

const DESCRIPTIONS: Record<string, string> = {
  IDENT: "identifier", INT: "int literal", FLOAT: "float literal",
  STRING: "string literal", BYTES: "bytes literal", NEWLINE: "newline",
  INDENT: "indent", OUTDENT: "outdent", EOF: "end of file",
};

/**
 * Describes a token kind the way starlark-go's messages do: punctuation is
 * quoted, keywords are bare, value tokens are named ("got ',', want primary").
 */
export function describeToken(kind: string): string {
  if (PUNCT_SET.has(kind)) return `'${kind}'`;
  return DESCRIPTIONS[kind] ?? kind;
}

/** Formats a position as file:line:col. */
export function formatPosition(pos: Position): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}
