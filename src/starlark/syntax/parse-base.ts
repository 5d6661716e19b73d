/**
 * Token-stream mechanics shared by the parser halves: the current token,
 * consuming and expecting tokens, errors, and resynchronisation after an
 * error.
 */
import type { Ident } from "./ast.ts";
import { syntaxError } from "./errors.ts";
import { describeToken, type Token } from "./tokens.ts";

export class TokenParser {
  protected readonly file: string;
  private readonly toks: Token[];
  private p = 0;
  protected tok: Token;

  constructor(tokens: Token[], file: string) {
    this.toks = tokens;
    this.file = file;
    this.tok = tokens[0]!;
  }

  protected error(msg: string, at: { line: number; col: number } = this.tok): never {
    throw syntaxError(this.file, at.line, at.col, msg);
  }

  /** Consumes the current token and returns it. */
  protected next(): Token {
    const t = this.tok;
    if (this.p < this.toks.length - 1) this.p++;
    this.tok = this.toks[this.p]!;
    return t;
  }

  /** Index of the current token, to resume from after an error. */
  protected mark(): number {
    return this.p;
  }

  /**
   * Error recovery: from the token at `start` (the first token of a toplevel
   * statement), skips past the end of that statement — a NEWLINE or the
   * OUTDENT closing its block, at its own indentation level.
   */
  protected skipStatementFrom(start: number): void {
    let depth = 0;
    for (let i = start; i < this.toks.length - 1; i++) {
      const k = this.toks[i]!.kind;
      if (k === "INDENT") depth++;
      else if (k === "OUTDENT") depth--;
      if (depth <= 0 && (k === "OUTDENT" || (k === "NEWLINE" && this.toks[i + 1]!.kind !== "INDENT"))) {
        this.p = i + 1;
        this.tok = this.toks[this.p]!;
        return;
      }
    }
    this.p = this.toks.length - 1;
    this.tok = this.toks[this.p]!;
  }

  /** Kind of the current token (a call, so type narrowing does not survive next()). */
  protected kind(): string {
    return this.tok.kind;
  }

  /** The token after the current one. */
  protected peek(): Token {
    return this.toks[Math.min(this.p + 1, this.toks.length - 1)]!;
  }

  protected expect(kind: string): Token {
    if (this.kind() !== kind) this.error(`got ${describeToken(this.kind())}, want ${describeToken(kind)}`);
    return this.next();
  }

  protected ident(): Ident {
    if (this.kind() !== "IDENT") this.error("not an identifier");
    const t = this.next();
    return { kind: "Ident", name: t.value as string, line: t.line, col: t.col };
  }
}
