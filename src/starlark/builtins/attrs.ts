/**
 * Attributes and method calls: x.name, hasattr/getattr/dir, and
 * recv.name(...) without a bound method. They live here, beside the method
 * tables they read (methods.ts), so that values/ never imports builtins/:
 * imports between starlark's folders point one way (see
 * test/structure/layers.test.ts).
 */
import { fail } from '../values/errors.ts';
import { isHost, typeName } from '../values/kinds.ts';
import { call } from '../values/ops.ts';
import type { Thread } from '../values/thread.ts';
import { Builtin, Dict, List, Module, type Kwargs, type Value } from '../values/value.ts';
import { nearest } from '../spell.ts';
import { lookupMethod, methodNames, methodsNamed } from './methods.ts';

/** x.name: a field, or a method bound to x. Fails with a spelling suggestion. */
export function getAttr(thread: Thread, x: Value, name: string): Value {
  const m = lookupMethod(x, name);
  if (m !== undefined) return new Builtin(name, m, x);
  if (x instanceof Module) {
    // Own members only: inherited Object.prototype properties must never reach Starlark.
    if (Object.hasOwn(x.members, name)) return x.members[name]!;
  } else if (isHost(x) && x.getAttr !== undefined) {
    const v = x.getAttr(name, thread);
    if (v !== undefined) return v;
  }
  return fail(noSuchAttr(x, name));
}

/** The attribute names of x (dir(x)), sorted. */
export function attrNames(x: Value): string[] {
  const names = methodNames(x);
  if (x instanceof Module) names.push(...Object.keys(x.members));
  else if (isHost(x) && x.attrNames !== undefined) names.push(...x.attrNames());
  return names.sort();
}

/** True if x.name exists (hasattr). */
export function hasAttr(thread: Thread, x: Value, name: string): boolean {
  if (lookupMethod(x, name) !== undefined) return true;
  if (x instanceof Module) return Object.hasOwn(x.members, name);
  if (isHost(x) && x.getAttr !== undefined) return x.getAttr(name, thread) !== undefined;
  return false;
}

function noSuchAttr(x: Value, name: string): string {
  const hint = nearest(name, attrNames(x));
  const what = x instanceof Module ? `module has no .${name} field or method` : `${typeName(x)} has no .${name} field or method`;
  return hint === null ? what : `${what} (did you mean .${hint}?)`;
}

/**
 * recv.name(*args, **kwargs) without allocating a bound method for builtin
 * methods (list.append in a loop, etc.). Falls back to getAttr + call.
 */
export function callMethod(thread: Thread, recv: Value, name: string, args: Value[], kwargs: Kwargs | null): Value {
  const m = lookupMethod(recv, name);
  if (m !== undefined) {
    thread.step();
    return m(thread, args, kwargs, recv);
  }
  return call(thread, getAttr(thread, recv, name), args, kwargs);
}

/** A call-site-specialised callMethod for a fixed method name. */
export type MethodCaller = (thread: Thread, recv: Value, args: Value[], kwargs: Kwargs | null) => Value;

/**
 * Returns callMethod specialised for one method name: the list, dict and
 * string implementations are resolved once, so a call site such as
 * `xs.append(x)` in a loop skips the per-call table lookup. Compile it once
 * per call site: `const m = methodCaller('append')`, then `m(thread, recv, args, null)`.
 */
export function methodCaller(name: string): MethodCaller {
  const { list, dict, string } = methodsNamed(name);
  return (thread, recv, args, kwargs) => {
    const fn = recv instanceof List ? list : typeof recv === 'string' ? string : recv instanceof Dict ? dict : undefined;
    if (fn !== undefined) {
      thread.step();
      return fn(thread, args, kwargs, recv);
    }
    return callMethod(thread, recv, name, args, kwargs);
  };
}
