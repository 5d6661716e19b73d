/**
 * Last line of defence for the code generator's security property: the
 * generated JS may contain only compiler-chosen tokens. Tenant text is
 * never spliced into it by construction (see codegen.ts); this check
 * rejects the program if a bug ever lets anything else through — a quote,
 * a backslash, a backtick, a comment, a non-ASCII character, or an
 * identifier outside the compiler's vocabulary.
 */
import { RUNTIME } from "./support.ts";

/** JS keywords and literals the emitters use. */
const KEYWORDS = [
  "break", "const", "continue", "else", "false", "finally", "for", "function", "if", "instanceof",
  "let", "new", "null", "return", "true", "try", "typeof", "undefined",
];

/** Names of parameters and fixed locals of generated functions, and properties they read. */
const FIXED = [
  "K", "R", "M", "G", "th", "fn", "fr", "rv", "a",
  "step", "left", "check", "options", "allowRecursion", "pushFrame", "popFrame", "line", "col", "active", "free", "v",
  "code", "arity", "direct", "call", "defaults", "elems", "length", "len", "start", "itercount", "frozen", "next", "done",
  "limits", "maxListLength", "maxStringLength", "push", "checkList", "startsWith", "endsWith", "value", "get",
];

/** Generated names: locals, globals, temps, free variables, constants, functions, labels. */
const GENERATED = /^[lgtfkFEQb][0-9]+$/;

const ALLOWED = new Set<string>([...KEYWORDS, ...FIXED, ...Object.keys(RUNTIME)]);

/** The prologue is the only place a string literal may appear. */
export const PROLOGUE = "'use strict';\n";

/**
 * Throws if `src` (after the fixed prologue) contains anything but
 * whitelisted identifiers, decimal integers, ASCII punctuation, spaces and
 * the typeof tags `'number'`, `'string'`, `'boolean'`, `'bigint'` (literal tags
 * let V8 compile `typeof x === 'number'` to a type test).
 */
export function checkGeneratedSource(src: string): void {
  if (!src.startsWith(PROLOGUE)) throw new Error("internal error: generated code lacks its prologue");
  // Whole-text regular expressions (not a token loop): this runs on every compile, mostly cold.
  const body = src.slice(PROLOGUE.length).replace(/'(?:number|string|boolean|bigint)'/g, " ");
  const bad = /[^A-Za-z0-9_$ \n(){}[\];,.=!<>&|?:+\-*%~^/]|\/[/*]/.exec(body);
  if (bad !== null) throw new Error(`internal error: generated code contains ${JSON.stringify(bad[0])}`);
  for (const id of new Set(body.match(/[A-Za-z_$][A-Za-z0-9_$]*/g))) {
    if (!ALLOWED.has(id) && !GENERATED.test(id)) {
      throw new Error(`internal error: generated code uses identifier ${JSON.stringify(id)}`);
    }
  }
}
