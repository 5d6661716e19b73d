/**
 * Scanner: turns Starlark source into a token array, synthesising
 * NEWLINE/INDENT/OUTDENT tokens from line structure.
 *
 * Indentation follows starlark-go: a tab advances to the next multiple of 8.
 * Newlines inside brackets and after a backslash join lines. The first
 * lexical error aborts scanning with a StarlarkSyntaxError.
 */
import { StarlarkSyntaxError, syntaxError, type Diagnostic } from "./errors.ts";
import { KEYWORDS, PUNCTUATION, type Token } from "./tokens.ts";
import { decodeQuoted } from "./quote.ts";

const IDENT_START = /[\p{L}_]/u;
const MAX_BRACKET_DEPTH = 200;
const IDENT_PART = /[\p{L}\p{Nd}_]/u;

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/**
 * Scans a whole file into tokens (ending with EOF).
 *
 * @example
 *   scan("x = 1\n", "a.star").map((t) => t.kind); // ["IDENT", "=", "INT", "NEWLINE", "EOF"]
 */
export function scan(source: string, file: string): Token[] {
  return new Scanner(normalize(source), file).run();
}

/**
 * Like scan, but on a lexical error returns the tokens before it (ended by
 * an EOF token at the error) together with the error, so that the parser
 * can still report the syntax errors that precede it.
 */
export function scanPartial(source: string, file: string): { tokens: Token[]; error: Diagnostic | null } {
  const scanner = new Scanner(normalize(source), file);
  try {
    return { tokens: scanner.run(), error: null };
  } catch (e) {
    if (!(e instanceof StarlarkSyntaxError)) throw e;
    const error = e.diagnostics[0]!;
    return { tokens: scanner.truncated(error.pos.line, error.pos.col), error };
  }
}

function normalize(source: string): string {
  return source.replace(/\r\n?/g, "\n");
}

class Scanner {
  private readonly src: string;
  private readonly file: string;
  private i = 0;
  private line = 1;
  private col = 1;
  private depth = 0;
  private readonly indents: number[] = [0];
  private readonly tokens: Token[] = [];

  constructor(src: string, file: string) {
    this.src = src;
    this.file = file;
  }

  private error(line: number, col: number, msg: string): never {
    throw syntaxError(this.file, line, col, msg);
  }

  private peek(k = 0): string {
    return this.src[this.i + k] ?? "";
  }

  private advance(): string {
    const c = this.src[this.i++] ?? "";
    if (c === "\n") {
      this.line++;
      this.col = 1;
    } else {
      this.col++;
    }
    return c;
  }

  private push(kind: string, line: number, col: number, value?: Token["value"]): void {
    this.tokens.push(value === undefined ? { kind, line, col } : { kind, line, col, value });
  }

  /** The tokens scanned so far, closed by EOF at the given position. */
  truncated(line: number, col: number): Token[] {
    this.push("EOF", line, col);
    return this.tokens;
  }

  run(): Token[] {
    let lineStart = true;
    for (;;) {
      let blank = false;
      if (lineStart) {
        lineStart = false;
        blank = this.indentation();
      }
      let c = this.peek();
      while (c === " " || c === "\t" || c === "\f") {
        this.advance();
        c = this.peek();
      }
      if (c === "#") {
        while (this.i < this.src.length && this.peek() !== "\n") this.advance();
        c = this.peek();
      }
      if (c === "\n") {
        const line = this.line, col = this.col;
        this.advance();
        lineStart = true;
        if (!blank && this.depth === 0) this.push("NEWLINE", line, col);
        continue;
      }
      if (c === "") {
        this.finish();
        return this.tokens;
      }
      if (c === "\\") {
        this.advance();
        if (this.peek() !== "\n") this.error(this.line, this.col, "stray backslash in program");
        this.advance();
        continue;
      }
      this.token(c);
    }
  }

  /** Measures leading whitespace and emits INDENT/OUTDENT; returns whether the line is blank. */
  private indentation(): boolean {
    let width = 0;
    for (;;) {
      const c = this.peek();
      if (c === " ") width++;
      else if (c === "\t") width += 8 - (width % 8);
      else break;
      this.advance();
    }
    const c = this.peek();
    if (c === "#" || c === "\n" || c === "") return true;
    if (this.depth > 0) return false;
    const top = this.indents[this.indents.length - 1]!;
    if (width > top) {
      this.indents.push(width);
      this.push("INDENT", this.line, this.col);
    } else if (width < top) {
      while (width < this.indents[this.indents.length - 1]!) {
        this.indents.pop();
        this.push("OUTDENT", this.line, this.col);
      }
      if (width !== this.indents[this.indents.length - 1]) {
        this.error(this.line, this.col, "unindent does not match any outer indentation level");
      }
    }
    return false;
  }

  /** At EOF: terminate the last logical line and close open blocks. */
  private finish(): void {
    const last = this.tokens[this.tokens.length - 1];
    if (this.depth === 0 && last !== undefined && last.kind !== "NEWLINE" && last.kind !== "OUTDENT") {
      this.push("NEWLINE", this.line, this.col);
    }
    while (this.indents.length > 1) {
      this.indents.pop();
      this.push("OUTDENT", this.line, this.col);
    }
    this.push("EOF", this.line, this.col);
  }

  private token(c: string): void {
    const line = this.line, col = this.col;
    if (c === '"' || c === "'") return this.string(line, col, "");
    if (IDENT_START.test(c)) {
      const c1 = this.peek(1), c2 = this.peek(2);
      if ((c === "r" || c === "b") && (c1 === '"' || c1 === "'")) {
        this.advance();
        return this.string(line, col, c);
      }
      if (c === "r" && c1 === "b" && (c2 === '"' || c2 === "'")) {
        this.advance();
        this.advance();
        return this.string(line, col, "rb");
      }
      const start = this.i;
      while (this.i < this.src.length && IDENT_PART.test(this.peek())) this.advance();
      const word = this.src.slice(start, this.i);
      if (KEYWORDS.has(word)) this.push(word, line, col);
      else this.push("IDENT", line, col, word);
      return;
    }
    if (isDigit(c) || (c === "." && isDigit(this.peek(1)))) return this.number(line, col);
    if (c === "(" || c === "[" || c === "{") {
      // The parser and compiler recurse per nesting level; bound it well below the JS stack.
      if (++this.depth > MAX_BRACKET_DEPTH) this.error(line, col, `brackets nested more than ${MAX_BRACKET_DEPTH} deep`);
    }
    if (c === ")" || c === "]" || c === "}") {
      if (this.depth === 0) this.error(line, col, `unexpected '${c}'`);
      this.depth--;
    }
    if (c === "!" && this.peek(1) !== "=") this.error(line, col, "unexpected input character '!'");
    for (const p of PUNCTUATION) {
      if (this.src.startsWith(p, this.i)) {
        for (let k = 0; k < p.length; k++) this.advance();
        this.push(p, line, col);
        return;
      }
    }
    this.error(line, col, `unexpected input character ${JSON.stringify(c)}`);
  }

  private string(line: number, col: number, prefix: string): void {
    const quote = this.peek();
    const triple = this.peek(1) === quote && this.peek(2) === quote;
    const start = this.i;
    const qlen = triple ? 3 : 1;
    for (let k = 0; k < qlen; k++) this.advance();
    let run = 0;
    for (;;) {
      if (this.i >= this.src.length) this.error(line, col, "unexpected EOF in string");
      const ch = this.advance();
      if (ch === quote) {
        run++;
        if (run === qlen) break;
        continue;
      }
      run = 0;
      if (ch === "\n" && !triple) this.error(line, col, "unexpected newline in string");
      if (ch === "\\") {
        if (this.i >= this.src.length) this.error(line, col, "unexpected EOF in string");
        this.advance();
      }
    }
    const body = this.src.slice(start + qlen, this.i - qlen);
    const raw = prefix.includes("r");
    const bytes = prefix.includes("b");
    const decoded = decodeQuoted(body, raw, bytes);
    if (typeof decoded === "object" && "error" in decoded) this.error(line, col, decoded.error);
    this.push(bytes ? "BYTES" : "STRING", line, col, decoded);
  }

  private number(line: number, col: number): void {
    const start = this.i;
    let fraction = false, exponent = false;
    const digits = (ok: (c: string) => boolean): number => {
      let n = 0;
      while (ok(this.peek())) { this.advance(); n++; }
      return n;
    };
    const c = this.peek();
    if (c === "0" && /[xXoObB]/.test(this.peek(1))) {
      const base = this.peek(1).toLowerCase();
      this.advance();
      this.advance();
      const ok = base === "x" ? (d: string) => /[0-9a-fA-F]/.test(d)
        : base === "o" ? (d: string) => d >= "0" && d <= "7" : (d: string) => d === "0" || d === "1";
      if (digits(ok) === 0) {
        const name = base === "x" ? "hex" : base === "o" ? "octal" : "binary";
        this.error(line, col, `invalid ${name} literal`);
      }
    } else {
      digits(isDigit);
      if (this.peek() === ".") { fraction = true; this.advance(); digits(isDigit); }
      if (this.peek() === "e" || this.peek() === "E") {
        exponent = true;
        this.advance();
        if (this.peek() === "+" || this.peek() === "-") this.advance();
        if (digits(isDigit) === 0) this.error(this.line, this.col, "invalid float literal");
      }
    }
    const text = this.src.slice(start, this.i);
    if (fraction || exponent) {
      const f = Number(text);
      if (!Number.isFinite(f)) this.error(line, col, "invalid float literal");
      this.push("FLOAT", line, col, f);
      return;
    }
    if (text.length > 1 && text[0] === "0" && isDigit(text[1]!) && !/^0+$/.test(text)) {
      this.error(line, col, `obsolete form of octal literal; use 0o${text.slice(1)}`);
    }
    const big = BigInt(text);
    const n = Number(big);
    this.push("INT", line, col, Number.isSafeInteger(n) ? n : big);
  }
}
