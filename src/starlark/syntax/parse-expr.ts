/**
 * Expression half of the recursive-descent parser (starlark-go's grammar,
 * LL(1)). The statement half extends this class in parser.ts.
 */
import type {
  Arg, BinaryOp, Comprehension, DictEntry, Expr, ForClause, IfClause, LambdaExpr, Param,
} from "./ast.ts";
import { TokenParser } from "./parse-base.ts";
import { describeToken, type Token } from "./tokens.ts";

/** Binary operator precedence, lowest first; "not" (unary) sits at level 2. */
const PRECEDENCE: Record<string, number> = {
  or: 0, and: 1, not: 2,
  "==": 3, "!=": 3, "<": 3, ">": 3, "<=": 3, ">=": 3, in: 3, "not in": 3,
  "|": 4, "^": 5, "&": 6, "<<": 7, ">>": 7, "-": 8, "+": 8, "*": 9, "%": 9, "/": 9, "//": 9,
};
const NOT_LEVEL = 2;
const COMPARISON_LEVEL = 3;
const LEVELS = 10;

/** Tokens after which a trailing comma ends an expression list. */
const LIST_TERMINATORS: ReadonlySet<string> = new Set(["EOF", "NEWLINE", "=", "}", "]", ")", ";"]);

export class ExprParser extends TokenParser {
  /** expr = test {',' test} — an unparenthesized tuple unless a single test. */
  protected expr(inParens: boolean): Expr {
    const x = this.test();
    if (this.kind() !== ",") return x;
    return { kind: "Tuple", elts: this.exprList([x], inParens), parens: false, line: x.line, col: x.col };
  }

  /** Continues a comma-separated list starting at a comma. */
  protected exprList(elts: Expr[], allowTrailingComma: boolean): Expr[] {
    while (this.kind() === ",") {
      const comma = this.next();
      if (LIST_TERMINATORS.has(this.kind())) {
        if (!allowTrailingComma) this.error("unparenthesized tuple with trailing comma", comma);
        break;
      }
      elts.push(this.test());
    }
    return elts;
  }

  /** test = lambda | orTest ['if' orTest 'else' test] */
  protected test(): Expr {
    if (this.kind() === "lambda") return this.lambda(true);
    const x = this.binary(0);
    if (this.kind() !== "if") return x;
    const ifTok = this.next();
    const cond = this.binary(0);
    if (this.kind() !== "else") this.error("conditional expression without else clause", ifTok);
    this.next();
    const otherwise = this.test();
    return { kind: "Cond", cond, then: x, else: otherwise, line: ifTok.line, col: ifTok.col };
  }

  /** Like test but without a conditional (comprehension 'if' operands). */
  private testNoCond(): Expr {
    return this.kind() === "lambda" ? this.lambda(false) : this.binary(0);
  }

  private lambda(allowCond: boolean): LambdaExpr {
    const t = this.next();
    const params = this.params();
    this.expect(":");
    const body = allowCond ? this.test() : this.testNoCond();
    return { kind: "Lambda", params, body, line: t.line, col: t.col };
  }

  /** Parses a parameter list up to ')' or ':' (validated by the resolver). */
  protected params(): Param[] {
    const params: Param[] = [];
    while (this.kind() !== ")" && this.kind() !== ":" && this.kind() !== "EOF") {
      if (params.length > 0) this.expect(",");
      if (this.kind() === ")") break;
      const t = this.tok;
      if (t.kind === "*" || t.kind === "**") {
        this.next();
        const name = t.kind === "**" || this.kind() === "IDENT" ? this.ident() : null;
        params.push({ type: t.kind === "*" ? "star" : "starstar", name, dflt: null, line: t.line, col: t.col });
        continue;
      }
      const name = this.ident();
      if (this.kind() === "=") {
        const eq = this.next();
        params.push({ type: "optional", name, dflt: this.test(), line: eq.line, col: eq.col });
      } else {
        params.push({ type: "required", name, dflt: null, line: name.line, col: name.col });
      }
    }
    return params;
  }

  /** Binary operators by precedence climbing; comparisons do not associate. */
  protected binary(prec: number): Expr {
    if (prec >= LEVELS) return this.primaryWithSuffix();
    if (prec === NOT_LEVEL && this.kind() === "not") {
      const t = this.next();
      return { kind: "Unary", op: "not", x: this.binary(prec), line: t.line, col: t.col };
    }
    let x = this.binary(prec + 1);
    for (let first = true; ; first = false) {
      let op = this.kind();
      if (op === "not") {
        // In operator position, 'not' must begin 'not in'.
        const after = this.peek();
        if (after.kind !== "in") this.error(`got ${describeToken(after.kind)}, want in`, after);
        op = "not in";
      }
      const opPrec = PRECEDENCE[op];
      if (opPrec === undefined || opPrec < prec) return x;
      if (!first && opPrec === COMPARISON_LEVEL) {
        this.error(`${(x as { op: string }).op} does not associate with ${op} (use parens)`);
      }
      const t = this.next();
      if (op === "not in") this.next();
      const y = this.binary(opPrec + 1);
      x = { kind: "Binary", op: op as BinaryOp, x, y, line: t.line, col: t.col };
    }
  }

  protected primaryWithSuffix(): Expr {
    let x = this.primary();
    for (;;) {
      const t = this.tok;
      if (t.kind === ".") {
        this.next();
        const name = this.ident();
        x = { kind: "Dot", x, name: name.name, line: t.line, col: t.col };
      } else if (t.kind === "[") {
        x = this.sliceSuffix(x);
      } else if (t.kind === "(") {
        this.next();
        const args = this.args();
        this.expect(")");
        x = { kind: "Call", fn: x, args, line: t.line, col: t.col };
      } else {
        return x;
      }
    }
  }

  private sliceSuffix(x: Expr): Expr {
    const lbrack = this.next();
    let lo: Expr | null = null, hi: Expr | null = null, step: Expr | null = null;
    if (this.kind() !== ":") {
      const y = this.expr(false);
      if (this.kind() === "]") {
        this.next();
        return { kind: "Index", x, index: y, line: lbrack.line, col: lbrack.col };
      }
      lo = y;
    }
    if (this.kind() === ":") {
      this.next();
      if (this.kind() !== ":" && this.kind() !== "]") hi = this.test();
    }
    if (this.kind() === ":") {
      this.next();
      if (this.kind() !== "]") step = this.test();
    }
    this.expect("]");
    return { kind: "Slice", x, lo, hi, step, line: lbrack.line, col: lbrack.col };
  }

  /** Call arguments up to ')'; ordering rules are checked by the resolver. */
  private args(): Arg[] {
    const args: Arg[] = [];
    while (this.kind() !== ")" && this.kind() !== "EOF") {
      if (args.length > 0) this.expect(",");
      if (this.kind() === ")") break;
      const t = this.tok;
      if (t.kind === "*" || t.kind === "**") {
        this.next();
        args.push({ type: t.kind === "*" ? "star" : "starstar", name: null, value: this.test(), line: t.line, col: t.col });
        continue;
      }
      const x = this.test();
      if (this.kind() === "=") {
        if (x.kind !== "Ident") this.error("keyword argument must have form name=expr");
        this.next();
        args.push({ type: "named", name: x.name, value: this.test(), line: x.line, col: x.col });
      } else {
        args.push({ type: "pos", name: null, value: x, line: x.line, col: x.col });
      }
    }
    return args;
  }

  protected primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case "IDENT":
        return this.ident();
      case "INT": case "FLOAT": case "STRING": case "BYTES": {
        this.next();
        const type = t.kind === "INT" ? "int" : t.kind === "FLOAT" ? "float" : t.kind === "STRING" ? "string" : "bytes";
        return { kind: "Literal", type, value: t.value!, line: t.line, col: t.col };
      }
      case "[":
        return this.list();
      case "{":
        return this.dict();
      case "(": {
        this.next();
        if (this.kind() === ")") {
          this.next();
          return { kind: "Tuple", elts: [], parens: true, line: t.line, col: t.col };
        }
        const x = this.expr(true);
        this.expect(")");
        return x.kind === "Tuple" ? { ...x, parens: true } : x;
      }
      case "-": case "+": case "~": {
        this.next();
        const x = this.primaryWithSuffix();
        return { kind: "Unary", op: t.kind, x, line: t.line, col: t.col };
      }
    }
    return this.error(`got ${describeToken(t.kind)}, want primary expression`);
  }

  private list(): Expr {
    const lbrack = this.next();
    if (this.kind() === "]") {
      this.next();
      return { kind: "List", elts: [], line: lbrack.line, col: lbrack.col };
    }
    const x = this.test();
    if (this.kind() === "for") return this.comprehension(lbrack, x, false, "]");
    const elts = this.exprList([x], true);
    this.expect("]");
    return { kind: "List", elts, line: lbrack.line, col: lbrack.col };
  }

  private dict(): Expr {
    const lbrace = this.next();
    if (this.kind() === "}") {
      this.next();
      return { kind: "Dict", entries: [], line: lbrace.line, col: lbrace.col };
    }
    const first = this.dictEntry();
    if (this.kind() === "for") return this.comprehension(lbrace, first, true, "}");
    const entries = [first];
    while (this.kind() === ",") {
      this.next();
      if (this.kind() === "}") break;
      entries.push(this.dictEntry());
    }
    this.expect("}");
    return { kind: "Dict", entries, line: lbrace.line, col: lbrace.col };
  }

  private dictEntry(): DictEntry {
    const key = this.test();
    const colon = this.expect(":");
    const value = this.test();
    return { kind: "DictEntry", key, value, line: colon.line, col: colon.col };
  }

  private comprehension(open: Token, body: Expr | DictEntry, dict: boolean, close: string): Comprehension {
    const clauses: Array<ForClause | IfClause> = [];
    while (this.kind() !== close) {
      const t = this.tok;
      if (t.kind === "for") {
        this.next();
        const vars = this.loopVariables();
        this.expect("in");
        // Neither a conditional, a lambda nor an unparenthesized tuple (as Python 3).
        const iter = this.binary(0);
        clauses.push({ kind: "for", vars, iter, line: t.line, col: t.col });
      } else if (t.kind === "if") {
        this.next();
        clauses.push({ kind: "if", cond: this.testNoCond(), line: t.line, col: t.col });
      } else {
        this.error(`got ${describeToken(t.kind)}, want '${close}', for, or if`);
      }
    }
    this.next();
    return { kind: "Comprehension", body, dict, clauses, line: open.line, col: open.col };
  }

  /** Loop variables: primaries separated by commas (not a full expr, which would eat 'in'). */
  protected loopVariables(): Expr {
    const v = this.primaryWithSuffix();
    if (this.kind() !== ",") return v;
    const elts = [v];
    while (this.kind() === ",") {
      this.next();
      if (LIST_TERMINATORS.has(this.kind())) break;
      elts.push(this.primaryWithSuffix());
    }
    return { kind: "Tuple", elts, parens: false, line: v.line, col: v.col };
  }
}
