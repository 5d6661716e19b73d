/**
 * Name binding half of the resolver (after starlark-go's resolve package):
 * creating bindings, recording uses, and resolving each use to a local,
 * cell, free variable, global, predeclared or universal name — free
 * variables are discovered across function boundaries at the end of the file.
 */
import type { Binding, File, Ident, Scope } from "./ast.ts";
import type { Diagnostic } from "./errors.ts";
import type { SyntaxOptions } from "./options.ts";
import type { Report } from "./resolve-rules.ts";
import { newBlock, type Block, type Use } from "./scope.ts";
import { nearest } from "../spell.ts";

/** Name predicates supplied by the embedder. */
export interface NameEnv {
  isPredeclared(name: string): boolean;
  isUniversal(name: string): boolean;
}

/** Prefix of "dialect does not support ..." errors. */
export const DOESNT = "dialect does not ";

/** Binding state of one file; extended by the Resolver's statement walk. */
export class BindingResolver {
  protected readonly file: File;
  protected readonly names: NameEnv;
  protected readonly opts: SyntaxOptions;
  protected readonly fileBlock: Block;
  protected env: Block;
  private readonly globals = new Map<string, Binding>();
  protected readonly moduleGlobals: Binding[] = [];
  private readonly predeclared = new Map<string, Binding>();
  protected readonly errors: Diagnostic[] = [];

  constructor(file: File, names: NameEnv, opts: SyntaxOptions) {
    this.file = file;
    this.names = names;
    this.opts = opts;
    this.fileBlock = newBlock(null, null);
    this.env = this.fileBlock;
  }

  protected error(at: { line: number; col: number }, msg: string): void {
    this.errors.push({ pos: { file: this.file.filename, line: at.line, col: at.col }, msg });
  }

  protected readonly report: Report = (at, msg) => this.error(at, msg);

  protected container(): Block {
    let b = this.env;
    while (b.fn === null && b.parent !== null) b = b.parent;
    return b;
  }

  protected push(b: Block): void {
    this.env.children.push(b);
    this.env = b;
  }

  protected pop(): void {
    this.env = this.env.parent!;
  }

  /** Binds id: a global at top level (checking reassignment), else a local. Returns whether it existed. */
  protected bind(id: Ident): boolean {
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

  protected bindLocal(id: Ident): boolean {
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

  protected use(id: Ident): void {
    const use = { id, env: this.env };
    // Legacy (Bazel) semantics ride on allowGlobalReassign: a toplevel use
    // sees the bindings made so far rather than the whole file's.
    if (this.opts.allowGlobalReassign && this.env === this.fileBlock) {
      this.useToplevel(use);
      return;
    }
    this.container().uses.push(use);
  }

  protected useToplevel(use: Use): Binding {
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

  protected spellcheck(use: Use): string | null {
    const names: string[] = [];
    for (let b: Block | null = use.env; b !== null; b = b.parent) names.push(...b.bindings.keys());
    for (const g of this.moduleGlobals) names.push(g.name);
    return nearest(use.id.name, names.sort());
  }

  protected resolveNonLocalUses(b: Block): void {
    for (const child of b.children) this.resolveNonLocalUses(child);
    for (const use of b.uses) use.id.binding = this.lookupLexical(use, use.env);
  }

  /** Finds use.id in env or its ancestors, creating free variables across function boundaries. */
  protected lookupLexical(use: Use, env: Block): Binding {
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
}
