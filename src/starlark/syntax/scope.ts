/**
 * Lexical blocks of the resolver and the lookups confined to one function.
 */
import type { Binding, FunctionInfo, Ident } from "./ast.ts";

/** A lexical block: the file, a function body, or a comprehension. */
export interface Block {
  readonly parent: Block | null;
  readonly fn: FunctionInfo | null;
  readonly bindings: Map<string, Binding>;
  readonly children: Block[];
  /** Container blocks (file, function) only: pending uses and local slots. */
  uses: Use[];
  readonly locals: Binding[];
}

export interface Use {
  readonly id: Ident;
  readonly env: Block;
}

/** A new block; `fn` is set for function bodies. */
export function newBlock(parent: Block | null, fn: FunctionInfo | null): Block {
  return { parent, fn, bindings: new Map(), children: [], uses: [], locals: [] };
}

/** The slots of the locals captured by nested functions. */
export function cellIndices(locals: Binding[]): number[] {
  const cells: number[] = [];
  for (const b of locals) if (b.scope === "cell") cells.push(b.index);
  return cells;
}

/** Resolves the uses in a container block that refer to its own locals. */
export function resolveLocalUses(b: Block): void {
  b.uses = b.uses.filter((use) => {
    const bind = lookupLocal(use);
    if (bind !== null && (bind.scope === "local" || bind.scope === "cell")) {
      use.id.binding = bind;
      return false;
    }
    return true;
  });
}

/** Looks use.id up within its innermost enclosing function (or the file). */
function lookupLocal(use: Use): Binding | null {
  for (let env: Block | null = use.env; env !== null; env = env.parent) {
    const b = env.bindings.get(use.id.name);
    if (b !== undefined) return b;
    if (env.fn !== null) break;
  }
  return null;
}
