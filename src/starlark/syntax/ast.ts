/**
 * Syntax tree produced by the parser and annotated by the resolver.
 *
 * Every node carries a 1-based line/col: that of its first token, except
 * where starlark-go reports runtime errors elsewhere — the operator of a
 * unary/binary expression, the `[` of an index or slice, the `(` of a call,
 * the `.` of an attribute, the `if` of a conditional expression.
 */

/** Where a resolved name lives at run time. */
export type Scope = "local" | "cell" | "free" | "global" | "predeclared" | "universal" | "undefined";

/** A resolved binding of an identifier (set by the resolver). */
export interface Binding {
  scope: Scope;
  /** Slot: locals index (local/cell), freevars index (free), globals index (global). */
  index: number;
  readonly name: string;
  /** Position of the first binding occurrence, for "declared at" messages. */
  readonly first: Ident | null;
}

interface NodeBase {
  readonly line: number;
  readonly col: number;
}

export interface Ident extends NodeBase {
  readonly kind: "Ident";
  readonly name: string;
  binding?: Binding;
}

export interface Literal extends NodeBase {
  readonly kind: "Literal";
  readonly type: "int" | "float" | "string" | "bytes";
  readonly value: number | bigint | string | Uint8Array;
}

export interface TupleExpr extends NodeBase {
  readonly kind: "Tuple";
  readonly elts: Expr[];
  /** Written with parentheses (affects only error messages and trailing-comma rules). */
  readonly parens: boolean;
}

export interface ListExpr extends NodeBase {
  readonly kind: "List";
  readonly elts: Expr[];
}

export interface DictEntry extends NodeBase {
  readonly kind: "DictEntry";
  readonly key: Expr;
  readonly value: Expr;
}

export interface DictExpr extends NodeBase {
  readonly kind: "Dict";
  readonly entries: DictEntry[];
}

export type UnaryOp = "-" | "+" | "~" | "not";

export interface UnaryExpr extends NodeBase {
  readonly kind: "Unary";
  readonly op: UnaryOp;
  readonly x: Expr;
}

export type BinaryOp =
  | "or" | "and" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "not in"
  | "|" | "^" | "&" | "<<" | ">>" | "-" | "+" | "*" | "/" | "//" | "%";

export interface BinaryExpr extends NodeBase {
  readonly kind: "Binary";
  readonly op: BinaryOp;
  readonly x: Expr;
  readonly y: Expr;
}

export interface CondExpr extends NodeBase {
  readonly kind: "Cond";
  readonly cond: Expr;
  readonly then: Expr;
  readonly else: Expr;
}

export interface IndexExpr extends NodeBase {
  readonly kind: "Index";
  readonly x: Expr;
  readonly index: Expr;
}

export interface SliceExpr extends NodeBase {
  readonly kind: "Slice";
  readonly x: Expr;
  readonly lo: Expr | null;
  readonly hi: Expr | null;
  readonly step: Expr | null;
}

export interface DotExpr extends NodeBase {
  readonly kind: "Dot";
  readonly x: Expr;
  readonly name: string;
}

/** One call argument: positional, name=value, *seq or **mapping. */
export interface Arg extends NodeBase {
  readonly type: "pos" | "named" | "star" | "starstar";
  readonly name: string | null;
  readonly value: Expr;
}

export interface CallExpr extends NodeBase {
  readonly kind: "Call";
  readonly fn: Expr;
  readonly args: Arg[];
}

/** One parameter of def/lambda. `star` with a null name is the bare `*`. */
export interface Param extends NodeBase {
  readonly type: "required" | "optional" | "star" | "starstar";
  readonly name: Ident | null;
  readonly dflt: Expr | null;
}

/** Facts the resolver computes about a def or lambda, used by the compiler. */
export interface FunctionInfo {
  readonly name: string;
  readonly line: number;
  readonly col: number;
  readonly params: Param[];
  readonly body: Stmt[];
  /** Local slot count; parameters occupy the first slots (positional, kw-only, *args, **kwargs). */
  numLocals: number;
  /** Name of each local slot (for tools and debugging). */
  localNames: string[];
  /** Indices of locals captured by inner functions (held in cells). */
  cells: number[];
  /** Bindings of the enclosing function captured by this one, in freevar order. */
  freevars: Binding[];
  hasVarargs: boolean;
  hasKwargs: boolean;
  numKwonly: number;
}

export interface LambdaExpr extends NodeBase {
  readonly kind: "Lambda";
  readonly params: Param[];
  readonly body: Expr;
  fn?: FunctionInfo;
}

export interface ForClause extends NodeBase {
  readonly kind: "for";
  readonly vars: Expr;
  readonly iter: Expr;
}

export interface IfClause extends NodeBase {
  readonly kind: "if";
  readonly cond: Expr;
}

export interface Comprehension extends NodeBase {
  readonly kind: "Comprehension";
  /** A DictEntry for dict comprehensions. */
  readonly body: Expr | DictEntry;
  readonly dict: boolean;
  readonly clauses: Array<ForClause | IfClause>;
}

export type Expr =
  | Ident | Literal | TupleExpr | ListExpr | DictExpr | UnaryExpr | BinaryExpr | CondExpr
  | IndexExpr | SliceExpr | DotExpr | CallExpr | LambdaExpr | Comprehension;

export interface ExprStmt extends NodeBase {
  readonly kind: "ExprStmt";
  readonly x: Expr;
}

export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=" | "//=" | "%=" | "&=" | "|=" | "^=" | "<<=" | ">>=";

export interface AssignStmt extends NodeBase {
  readonly kind: "Assign";
  readonly op: AssignOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
}

export interface DefStmt extends NodeBase {
  readonly kind: "Def";
  readonly name: Ident;
  readonly params: Param[];
  readonly body: Stmt[];
  fn?: FunctionInfo;
}

export interface IfStmt extends NodeBase {
  readonly kind: "If";
  readonly cond: Expr;
  readonly body: Stmt[];
  readonly orelse: Stmt[];
}

export interface ForStmt extends NodeBase {
  readonly kind: "For";
  readonly vars: Expr;
  readonly iter: Expr;
  readonly body: Stmt[];
}

export interface WhileStmt extends NodeBase {
  readonly kind: "While";
  readonly cond: Expr;
  readonly body: Stmt[];
}

export interface ReturnStmt extends NodeBase {
  readonly kind: "Return";
  readonly value: Expr | null;
}

export interface BranchStmt extends NodeBase {
  readonly kind: "Branch";
  readonly token: "break" | "continue" | "pass";
}

export interface LoadStmt extends NodeBase {
  readonly kind: "Load";
  readonly module: string;
  /** Local names bound by the statement. */
  readonly to: Ident[];
  /** Names exported by the loaded module, parallel to `to`. */
  readonly from: Ident[];
}

export type Stmt = ExprStmt | AssignStmt | DefStmt | IfStmt | ForStmt | WhileStmt | ReturnStmt | BranchStmt | LoadStmt;

/** A parsed file; the resolver fills in the slot counts. */
export interface File {
  readonly filename: string;
  readonly stmts: Stmt[];
  /** Module-global names, indexed by Binding.index of global bindings. */
  globals: string[];
  /** Toplevel local slots (load bindings and toplevel comprehension variables). */
  numLocals: number;
  /** Name of each toplevel local slot (for tools and debugging). */
  localNames: string[];
  /** Toplevel locals captured by functions (a lambda in a toplevel comprehension). */
  cells: number[];
}
