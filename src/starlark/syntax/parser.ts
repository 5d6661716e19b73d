/**
 * Statement half of the parser, and the `parseFile` entry point.
 */
import type { AssignOp, Expr, File, Ident, LoadStmt, Stmt } from "./ast.ts";
import { StarlarkSyntaxError, type Diagnostic } from "./errors.ts";
import { ExprParser } from "./parse-expr.ts";
import { scanPartial } from "./scanner.ts";
import { describeToken, type Token } from "./tokens.ts";

const ASSIGN_OPS: ReadonlySet<string> = new Set(["=", "+=", "-=", "*=", "/=", "//=", "%=", "&=", "|=", "^=", "<<=", ">>="]);

/**
 * Scans and parses a file. Throws StarlarkSyntaxError listing the first
 * error of each erroneous toplevel statement (a lexical error stops at once).
 *
 * @example
 *   const file = parseFile("def f(x):\n  return x + 1\n", "a.star");
 *   file.stmts[0].kind; // "Def"
 */
export function parseFile(source: string, filename: string): File {
  const { tokens, error } = scanPartial(source, filename);
  const parser = new StmtParser(tokens, filename);
  const file = parser.parseAll();
  if (error === null && parser.errors.length === 0) return file;
  // Parse errors at or after a lexical error are artefacts of the truncated token stream.
  const before = (d: Diagnostic) => error === null || d.pos.line < error.pos.line || (d.pos.line === error.pos.line && d.pos.col < error.pos.col);
  const all = parser.errors.filter(before);
  if (error !== null) all.push(error);
  throw new StarlarkSyntaxError(all);
}

class StmtParser extends ExprParser {
  /** Parses the file, resuming after each erroneous toplevel statement (see errors). */
  /** The first error of each erroneous toplevel statement. */
  readonly errors: Diagnostic[] = [];

  parseAll(): File {
    const stmts: Stmt[] = [];
    const errors = this.errors;
    while (this.kind() !== "EOF") {
      if (this.kind() === "NEWLINE") {
        this.next();
        continue;
      }
      const start = this.mark();
      try {
        this.stmt(stmts);
      } catch (e) {
        if (e instanceof StarlarkSyntaxError) errors.push(...e.diagnostics);
        else if (isStackOverflow(e)) errors.push({ pos: { file: this.file, line: this.tok.line, col: this.tok.col }, msg: "expression nested too deeply" });
        else throw e;
        this.skipStatementFrom(start);
      }
    }
    return { filename: this.file, stmts, globals: [], numLocals: 0, localNames: [], cells: [] };
  }

  private stmt(out: Stmt[]): void {
    switch (this.kind()) {
      case "def": out.push(this.def()); return;
      case "if": out.push(this.ifStmt()); return;
      case "for": out.push(this.forStmt()); return;
      case "while": out.push(this.whileStmt()); return;
    }
    this.simpleStmt(out);
  }

  /** small_stmt {';' small_stmt} [';'] NEWLINE */
  private simpleStmt(out: Stmt[]): void {
    for (;;) {
      out.push(this.smallStmt());
      if (this.kind() !== ";") break;
      this.next();
      if (this.kind() === "NEWLINE" || this.kind() === "EOF") break;
    }
    if (this.kind() !== "EOF") this.expect("NEWLINE");
  }

  private smallStmt(): Stmt {
    const t = this.tok;
    switch (t.kind) {
      case "return": {
        this.next();
        const k = this.kind();
        const value = k === "EOF" || k === "NEWLINE" || k === ";" ? null : this.expr(false);
        return { kind: "Return", value, line: t.line, col: t.col };
      }
      case "break": case "continue": case "pass":
        this.next();
        return { kind: "Branch", token: t.kind, line: t.line, col: t.col };
      case "load":
        return this.load();
    }
    const lhs = this.expr(false);
    if (ASSIGN_OPS.has(this.kind())) {
      const op = this.next();
      const rhs = this.expr(false);
      return { kind: "Assign", op: op.kind as AssignOp, lhs, rhs, line: op.line, col: op.col };
    }
    return { kind: "ExprStmt", x: lhs, line: lhs.line, col: lhs.col };
  }

  private load(): LoadStmt {
    const t = this.next();
    const lparen = this.expect("(");
    if (this.kind() !== "STRING") this.error("first operand of load statement must be a string literal");
    const module = this.next().value as string;
    const to: Ident[] = [], from: Ident[] = [];
    while (this.kind() !== ")" && this.kind() !== "EOF") {
      this.expect(",");
      if (this.kind() === ")") break;
      const s = this.tok;
      if (s.kind === "STRING") {
        this.next();
        const id: Ident = { kind: "Ident", name: s.value as string, line: s.line, col: s.col + 1 };
        to.push(id);
        from.push(id);
      } else if (s.kind === "IDENT") {
        const id = this.ident();
        to.push(id);
        if (this.kind() !== "=") {
          this.error(`load operand must be "${id.name}" or ${id.name}="originalname" (want '=' after ${id.name})`);
        }
        this.next();
        if (this.kind() !== "STRING") this.error(`original name of loaded symbol must be quoted: ${id.name}="originalname"`);
        const lit = this.next();
        from.push({ kind: "Ident", name: lit.value as string, line: lit.line, col: lit.col + 1 });
      } else {
        this.error(`load operand must be "name" or localname="name" (got ${describeToken(s.kind)})`);
      }
    }
    this.expect(")");
    if (to.length === 0) this.error("load statement must import at least 1 symbol", lparen);
    return { kind: "Load", module, to, from, line: t.line, col: t.col };
  }

  private def(): Stmt {
    const t = this.next();
    const name = this.ident();
    this.expect("(");
    const params = this.params();
    this.expect(")");
    this.expect(":");
    return { kind: "Def", name, params, body: this.suite(), line: t.line, col: t.col };
  }

  /** if/elif/else; an elif is an If nested in the else branch, built without recursion. */
  private ifStmt(): Stmt {
    const branches: Array<{ at: Token; cond: Expr; body: Stmt[] }> = [];
    do {
      const at = this.next();
      const cond = this.test();
      this.expect(":");
      branches.push({ at, cond, body: this.suite() });
    } while (this.kind() === "elif");
    let orelse: Stmt[] = [];
    if (this.kind() === "else") {
      this.next();
      this.expect(":");
      orelse = this.suite();
    }
    for (let i = branches.length - 1; i >= 0; i--) {
      const { at, cond, body } = branches[i]!;
      orelse = [{ kind: "If", cond, body, orelse, line: at.line, col: at.col }];
    }
    return orelse[0]!;
  }

  private forStmt(): Stmt {
    const t = this.next();
    const vars: Expr = this.loopVariables();
    this.expect("in");
    const iter = this.expr(false);
    this.expect(":");
    return { kind: "For", vars, iter, body: this.suite(), line: t.line, col: t.col };
  }

  private whileStmt(): Stmt {
    const t = this.next();
    const cond = this.test();
    this.expect(":");
    return { kind: "While", cond, body: this.suite(), line: t.line, col: t.col };
  }

  /** suite = NEWLINE INDENT {stmt} OUTDENT | simple_stmt */
  private suite(): Stmt[] {
    const out: Stmt[] = [];
    if (this.kind() === "NEWLINE") {
      this.next();
      this.expect("INDENT");
      while (this.kind() !== "OUTDENT" && this.kind() !== "EOF") this.stmt(out);
      this.expect("OUTDENT");
    } else {
      this.simpleStmt(out);
    }
    return out;
  }
}

/** A JS stack overflow (the program nests deeper than the parser can recurse). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
