/**
 * Resolver: applies the spec's static rules and assigns every identifier a
 * binding (local slot, cell, free variable, global slot, predeclared or
 * universal name), following starlark-go's resolve package. Collects every
 * error rather than stopping at the first.
 */
import type { Expr, File, FunctionInfo, Param, Stmt } from "./ast.ts";
import { BindingResolver, DOESNT, type NameEnv } from "./bindings.ts";
import type { Diagnostic } from "./errors.ts";
import type { SyntaxOptions } from "./options.ts";
import { bindParams, checkCallArgs, NODE_NAMES } from "./resolve-rules.ts";
import { cellIndices, newBlock, resolveLocalUses } from "./scope.ts";

export type { NameEnv } from "./bindings.ts";

/**
 * Resolves `file` in place and returns all errors, sorted by position.
 *
 * @example
 *   const env = { isPredeclared: () => false, isUniversal: (n: string) => n === "print" };
 *   resolveFile(parseFile("print(y)\n", "a.star"), env, {})[0].msg; // "undefined: y"
 */
export function resolveFile(file: File, names: NameEnv, options: SyntaxOptions): Diagnostic[] {
  return new Resolver(file, names, options).run();
}

/** The statement and expression walk: the spec's static rules on top of name binding. */
class Resolver extends BindingResolver {
  private loops = 0;
  private ifs = 0;
  /** Deferred slot bookkeeping, run once free variables are known. */
  private readonly finishers: Array<() => void> = [];

  run(): Diagnostic[] {
    this.stmts(this.file.stmts);
    resolveLocalUses(this.fileBlock);
    this.resolveNonLocalUses(this.fileBlock);
    this.finish();
    this.file.globals = this.moduleGlobals.map((b) => b.name);
    const locals = this.fileBlock.locals;
    this.file.numLocals = locals.length;
    this.file.localNames = locals.map((b) => b.name);
    this.file.cells = cellIndices(locals);
    return this.errors.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  }

  private stmts(stmts: Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private toplevelControl(): boolean {
    return !this.opts.allowToplevelControl && this.container().fn === null;
  }

  private stmt(s: Stmt): void {
    switch (s.kind) {
      case "ExprStmt":
        this.expr(s.x);
        return;
      case "Branch":
        if (this.loops === 0 && s.token !== "pass") this.error(s, `${s.token} not in a loop`);
        return;
      case "If": {
        // Walk if/elif chains iteratively: a long chain must not exhaust the stack.
        let cur: Stmt = s;
        this.ifs++;
        for (;;) {
          if (this.toplevelControl()) this.error(cur, "if statement not within a function");
          this.expr(cur.cond);
          this.stmts(cur.body);
          const next: Stmt | undefined = cur.orelse.length === 1 ? cur.orelse[0] : undefined;
          if (next?.kind !== "If") break;
          cur = next;
        }
        this.stmts(cur.orelse);
        this.ifs--;
        return;
      }
      case "Assign":
        this.expr(s.rhs);
        this.assign(s.lhs, s.op !== "=");
        return;
      case "Def":
        this.bind(s.name);
        s.fn = this.function(s.name.name, s, s.params, s.body);
        return;
      case "For":
        if (this.toplevelControl()) this.error(s, "for loop not within a function");
        this.expr(s.iter);
        this.assign(s.vars, false);
        this.loop(s.body);
        return;
      case "While":
        if (!this.opts.allowWhile) this.error(s, DOESNT + "support while loops");
        if (this.toplevelControl()) this.error(s, "while loop not within a function");
        this.expr(s.cond);
        this.loop(s.body);
        return;
      case "Return":
        if (this.container().fn === null) this.error(s, "return statement not within a function");
        if (s.value !== null) this.expr(s.value);
        return;
      case "Load":
        this.load(s);
        return;
    }
  }

  private loop(body: Stmt[]): void {
    this.loops++;
    this.stmts(body);
    this.loops--;
  }

  private load(s: Extract<Stmt, { kind: "Load" }>): void {
    if (this.container().fn !== null) this.error(s, "load statement within a function");
    else if (this.loops > 0) this.error(s, "load statement within a loop");
    else if (this.ifs > 0) this.error(s, "load statement within a conditional");
    s.from.forEach((from, i) => {
      if (from.name === "") {
        this.error(from, "load: empty identifier");
        return;
      }
      if (from.name.startsWith("_")) {
        this.error(from, `load: names with leading underscores are not exported: ${from.name}`);
      }
      const to = s.to[i]!;
      if (this.opts.loadBindsGlobally) this.bind(to);
      else if (this.bindLocal(to) && !this.opts.allowGlobalReassign) this.error(to, `cannot reassign top-level ${to.name}`);
    });
  }

  private assign(lhs: Expr, augmented: boolean): void {
    switch (lhs.kind) {
      case "Ident":
        this.bind(lhs);
        return;
      case "Index":
        this.expr(lhs.x);
        this.expr(lhs.index);
        return;
      case "Dot":
        this.expr(lhs.x);
        return;
      case "Tuple": case "List":
        if (augmented) this.error(lhs, `can't use ${lhs.kind.toLowerCase()} expression in augmented assignment`);
        for (const e of lhs.elts) this.assign(e, augmented);
        return;
      default:
        this.error(lhs, `can't assign to ${NODE_NAMES[lhs.kind] ?? lhs.kind.toLowerCase()}`);
    }
  }

  private expr(e: Expr): void {
    switch (e.kind) {
      case "Ident":
        this.use(e);
        return;
      case "Literal":
        return;
      case "Tuple": case "List":
        for (const x of e.elts) this.expr(x);
        return;
      case "Dict":
        for (const d of e.entries) {
          this.expr(d.key);
          this.expr(d.value);
        }
        return;
      case "Unary":
        this.expr(e.x);
        return;
      case "Binary":
        this.expr(e.x);
        this.expr(e.y);
        return;
      case "Cond":
        this.expr(e.cond);
        this.expr(e.then);
        this.expr(e.else);
        return;
      case "Index":
        this.expr(e.x);
        this.expr(e.index);
        return;
      case "Slice":
        this.expr(e.x);
        for (const x of [e.lo, e.hi, e.step]) if (x !== null) this.expr(x);
        return;
      case "Dot":
        this.expr(e.x);
        return;
      case "Call":
        this.expr(e.fn);
        checkCallArgs(e.args, this.report);
        for (const a of e.args) this.expr(a.value);
        return;
      case "Lambda":
        e.fn = this.function("lambda", e, e.params, [{ kind: "Return", value: e.body, line: e.body.line, col: e.body.col }]);
        return;
      case "Comprehension":
        this.comprehension(e);
        return;
    }
  }

  private comprehension(e: Extract<Expr, { kind: "Comprehension" }>): void {
    const first = e.clauses[0] as Extract<typeof e.clauses[number], { kind: "for" }>;
    // The first iterable is evaluated in the enclosing block: [x for x in x].
    this.expr(first.iter);
    this.push(newBlock(this.env, null));
    this.assign(first.vars, false);
    for (const c of e.clauses.slice(1)) {
      if (c.kind === "if") {
        this.expr(c.cond);
      } else {
        this.assign(c.vars, false);
        this.expr(c.iter);
      }
    }
    if (e.body.kind === "DictEntry") {
      this.expr(e.body.key);
      this.expr(e.body.value);
    } else {
      this.expr(e.body);
    }
    this.pop();
  }

  private function(name: string, at: { line: number; col: number }, params: Param[], body: Stmt[]): FunctionInfo {
    // Defaults are evaluated in the enclosing block.
    for (const p of params) if (p.dflt !== null) this.expr(p.dflt);
    const fn: FunctionInfo = {
      name, line: at.line, col: at.col, params, body,
      numLocals: 0, localNames: [], cells: [], freevars: [], hasVarargs: false, hasKwargs: false, numKwonly: 0,
    };
    const block = newBlock(this.env, fn);
    this.push(block);
    const outerLoops = this.loops;
    this.loops = 0;
    bindParams(fn, params, (id) => this.bind(id), this.report);
    this.stmts(body);
    resolveLocalUses(block);
    this.pop();
    this.loops = outerLoops;
    // Uses of globals and free variables are resolved at the end of the file
    // (function bodies may refer to later globals); slot facts are filled then.
    this.finishers.push(() => {
      fn.numLocals = block.locals.length;
      fn.localNames = block.locals.map((b) => b.name);
      fn.cells = cellIndices(block.locals);
    });
    return fn;
  }

  private finish(): void {
    for (const f of this.finishers) f();
  }
}
