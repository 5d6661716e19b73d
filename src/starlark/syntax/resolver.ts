/**
 * Resolver: applies the spec's static rules and assigns every identifier a
 * binding (local slot, cell, free variable, global slot, predeclared or
 * universal name), following starlark-go's resolve package. Collects every
 * error rather than stopping at the first.
 */
import type { Binding, Expr, File, FunctionInfo, Ident, Param, Scope, Stmt } from "./ast.ts";
import type { Diagnostic } from "./errors.ts";
import type { SyntaxOptions } from "./options.ts";
import { bindParams, checkCallArgs, NODE_NAMES, type Report } from "./resolve-rules.ts";
import { cellIndices, newBlock, resolveLocalUses, type Block, type Use } from "./scope.ts";
import { nearest } from "./spell.ts";

/** Name predicates supplied by the embedder. */
export interface NameEnv {
  isPredeclared(name: string): boolean;
  isUniversal(name: string): boolean;
}

const DOESNT = "dialect does not ";

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

class Resolver {
  private readonly file: File;
  private readonly names: NameEnv;
  private readonly opts: SyntaxOptions;
  private readonly fileBlock: Block;
  private env: Block;
  private readonly globals = new Map<string, Binding>();
  private readonly moduleGlobals: Binding[] = [];
  private readonly predeclared = new Map<string, Binding>();
  private readonly errors: Diagnostic[] = [];
  private loops = 0;
  private ifs = 0;
  /** Deferred slot bookkeeping, run once free variables are known. */
  private readonly finishers: Array<() => void> = [];

  constructor(file: File, names: NameEnv, opts: SyntaxOptions) {
    this.file = file;
    this.names = names;
    this.opts = opts;
    this.fileBlock = newBlock(null, null);
    this.env = this.fileBlock;
  }

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

  private error(at: { line: number; col: number }, msg: string): void {
    this.errors.push({ pos: { file: this.file.filename, line: at.line, col: at.col }, msg });
  }

  private readonly report: Report = (at, msg) => this.error(at, msg);

  private container(): Block {
    let b = this.env;
    while (b.fn === null && b.parent !== null) b = b.parent;
    return b;
  }

  private push(b: Block): void {
    this.env.children.push(b);
    this.env = b;
  }

  private pop(): void {
    this.env = this.env.parent!;
  }

  /** Binds id: a global at top level (checking reassignment), else a local. Returns whether it existed. */
  private bind(id: Ident): boolean {
    if (this.env !== this.fileBlock) return this.bindLocal(id);
    let b = this.fileBlock.bindings.get(id.name) ?? this.globals.get(id.name);
    const existed = b !== undefined;
    if (b === undefined) {
      b = { scope: "global", index: this.moduleGlobals.length, name: id.name, first: id };
      this.globals.set(id.name, b);
      this.moduleGlobals.push(b);
    } else if (!this.opts.allowGlobalReassign) {
      const first = b.first!;
      this.error(id, `cannot reassign ${b.scope} ${id.name} declared at ${this.file.filename}:${first.line}:${first.col}`);
    }
    id.binding = b;
    return existed;
  }

  private bindLocal(id: Ident): boolean {
    const existed = this.env.bindings.has(id.name);
    if (!existed) {
      const locals = this.container().locals;
      const b: Binding = { scope: "local", index: locals.length, name: id.name, first: id };
      this.env.bindings.set(id.name, b);
      locals.push(b);
    }
    this.use(id);
    return existed;
  }

  private use(id: Ident): void {
    const use = { id, env: this.env };
    // Legacy (Bazel) semantics ride on allowGlobalReassign: a toplevel use
    // sees the bindings made so far rather than the whole file's.
    if (this.opts.allowGlobalReassign && this.env === this.fileBlock) {
      this.useToplevel(use);
      return;
    }
    this.container().uses.push(use);
  }

  private useToplevel(use: Use): Binding {
    const { id } = use;
    let b = this.fileBlock.bindings.get(id.name) ?? this.globals.get(id.name) ?? this.predeclared.get(id.name);
    if (b === undefined) {
      let scope: Scope;
      if (this.names.isPredeclared(id.name)) {
        scope = "predeclared";
      } else if (this.names.isUniversal(id.name)) {
        scope = "universal";
        if (id.name === "set" && !this.opts.allowSet) this.error(id, DOESNT + "support sets");
      } else {
        const hint = this.spellcheck(use);
        this.error(id, `undefined: ${id.name}${hint === null ? "" : ` (did you mean ${hint}?)`}`);
        scope = "undefined";
      }
      b = { scope, index: -1, name: id.name, first: null };
      if (scope !== "undefined") this.predeclared.set(id.name, b);
    }
    id.binding = b;
    return b;
  }

  private spellcheck(use: Use): string | null {
    const names: string[] = [];
    for (let b: Block | null = use.env; b !== null; b = b.parent) names.push(...b.bindings.keys());
    for (const g of this.moduleGlobals) names.push(g.name);
    return nearest(use.id.name, names.sort());
  }

  private resolveNonLocalUses(b: Block): void {
    for (const child of b.children) this.resolveNonLocalUses(child);
    for (const use of b.uses) use.id.binding = this.lookupLexical(use, use.env);
  }

  /** Finds use.id in env or its ancestors, creating free variables across function boundaries. */
  private lookupLexical(use: Use, env: Block): Binding {
    if (env === this.fileBlock) return this.useToplevel(use);
    let b = env.bindings.get(use.id.name);
    if (b === undefined) {
      b = this.lookupLexical(use, env.parent!);
      if (env.fn !== null && (b.scope === "local" || b.scope === "free" || b.scope === "cell")) {
        if (b.scope === "local") b.scope = "cell";
        const index = env.fn.freevars.length;
        env.fn.freevars.push(b);
        b = { scope: "free", index, name: b.name, first: b.first };
      }
      env.bindings.set(use.id.name, b);
    }
    return b;
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
      case "If":
        if (this.toplevelControl()) this.error(s, "if statement not within a function");
        this.expr(s.cond);
        this.ifs++;
        this.stmts(s.body);
        this.stmts(s.orelse);
        this.ifs--;
        return;
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
