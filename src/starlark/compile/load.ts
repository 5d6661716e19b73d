/**
 * Compilation of load statements.
 */
import type { LoadStmt } from "../syntax/ast.ts";
import { nearest } from "../syntax/spell.ts";
import type { Ctx } from "./context.ts";
import { NORMAL, type Ex } from "./env.ts";
import { compileStoreName } from "./names.ts";
import { at, failAt } from "./position.ts";
import { StarlarkError, type Value } from "./rt.ts";

/** `load("module", "a", b="c")`: asks the thread's load hook for the module's globals. */
export function compileLoadStmt(s: LoadStmt, cx: Ctx): Ex {
  const module = s.module, line = s.line, col = s.col;
  const names = s.from.map((f) => f.name);
  const stores = s.to.map((t) => compileStoreName(t, cx));
  return (env) => {
    const thread = env.thread;
    at(env, line, col);
    if (thread.load === null) throw new StarlarkError("load not implemented by this application");
    let members: Record<string, Value>;
    const depth = thread.frames.length;
    try {
      members = thread.load(thread, module);
    } catch (e) {
      thread.frames.length = depth; // drop the failed module's frames: this error replaces its own
      const msg = e instanceof StarlarkError ? e.msg : e instanceof Error ? e.message : String(e);
      return failAt(env, line, col, `cannot load ${module}: ${msg}`);
    }
    names.forEach((name, i) => {
      const v = Object.hasOwn(members, name) ? members[name] : undefined;
      if (v === undefined) {
        const hint = nearest(name, Object.keys(members).sort());
        failAt(env, s.from[i]!.line, s.from[i]!.col,
          `load: name ${name} not found in module ${module}${hint === null ? "" : ` (did you mean ${hint}?)`}`);
      }
      stores[i]!(env, v);
    });
    return NORMAL;
  };
}
