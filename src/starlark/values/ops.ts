/**
 * The operations compiled code calls. Everything here is re-exported or
 * implemented in one place so the compiler has a single import.
 *
 * Operators: prefer the per-operator functions (add, sub, mul, ..., compare)
 * in hot code; `binary(op, x, y, thread)` takes the operator token as a string
 * ('+', '-', '*', '/', '//', '%', '&', '|', '^', '<<', '>>', 'in', 'not in'),
 * `compare(op, x, y, thread?)` takes '==', '!=', '<', '<=', '>', '>='. Passing the thread to
 * contains/slice/equals/compare lets them charge bulk work as steps.
 */
import { lookupMethod, methodNames, methodsNamed } from '../builtins/methods.ts';
import { checkListMutable, listExtend, tableEntries, tableSet } from './collections.ts';
import { fail } from './errors.ts';
import { isCallable, isHost, typeName } from './kinds.ts';
import { iterableElems } from './iter.ts';
import { nearest } from '../spell.ts';
import { binary, type BinaryOp } from './arith.ts';
import type { Thread } from './thread.ts';
import { Builtin, Dict, HashTable, List, Module, Tuple, type Kwargs, type Value } from './value.ts';

export { add, sub, mul, div, floorDiv, mod, bitAnd, bitOr, bitXor, shl, shr, contains, binary, unary } from './arith.ts';
export type { BinaryOp, UnaryOp } from './arith.ts';
export { compare, equals, order } from './compare.ts';
export type { CompareOp } from './compare.ts';
export { truth, typeName, isCallable, isHost } from './kinds.ts';
export { repr, str } from './repr.ts';
export { iterate, toArray, iterableElems } from './iter.ts';
export type { Iter } from './iter.ts';
export { getIndex, setIndex, slice } from './indexing.ts';
export { hashValue as hash, keyOf } from './hashing.ts';
export { tableSet as dictSet, tableEntries as dictEntries, dictOfStrings, DictShape, itemColumns } from './collections.ts';
export { SMALL as SMALL_TABLE } from './hashtable.ts';
export { tableKeys as dictKeys } from './iter.ts';

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

/** x.name = v. */
export function setField(x: Value, name: string, v: Value): void {
  if (isHost(x) && x.setField !== undefined) {
    x.setField(name, v);
    return;
  }
  fail(`can't assign to .${name} field of ${typeName(x)}`);
}

/** fn(*args, **kwargs) for any callable; charges one step. */
export function call(thread: Thread, fn: Value, args: Value[], kwargs: Kwargs | null): Value {
  if (!isCallable(fn)) fail(`invalid call of non-function (${typeName(fn)})`);
  thread.step();
  return fn.call(thread, args, kwargs);
}

/**
 * fn(x), as call(thread, fn, [x], null) (one step), through the callee's
 * `call1` when it has one: a key function of sorted/min/max, called per element.
 *
 * @example
 *   const k = call1(thread, keyFn, elem);
 */
export function call1(thread: Thread, fn: Value, x: Value): Value {
  if (!isCallable(fn)) fail(`invalid call of non-function (${typeName(fn)})`);
  thread.step();
  return fn.call1 !== undefined ? fn.call1(thread, x) : fn.call(thread, [x], null);
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

/** Makes v and everything reachable from it immutable. */
export function freeze(v: Value): void {
  if (typeof v !== 'object' || v === null) return;
  if (v instanceof List) {
    if (v.frozen) return;
    v.frozen = true;
    for (const e of v.elems) freeze(e);
  } else if (v instanceof HashTable) {
    if (v.frozen) return;
    v.frozen = true;
    for (const [mk, val] of v.entries()) {
      freeze(v.origKey(mk));
      freeze(val);
    }
  } else if (v instanceof Tuple) {
    for (const e of v.elems) freeze(e);
  } else if (typeof (v as { freeze?: unknown }).freeze === 'function') {
    // Host values and compiled functions (which freeze their captured cells/defaults).
    (v as { freeze(): void }).freeze();
  }
}

/**
 * `x op= y`. Same as binary(op, x, y) except that `list += iterable`
 * extends the list and `dict |= dict` updates the dict, in place (spec "Augmented assignments").
 */
export function augmented(op: BinaryOp, x: Value, y: Value, thread: Thread): Value {
  if (op === '+' && x instanceof List) {
    const items = iterableElems(thread, y);
    // A non-iterable operand may still define `list + y` (a host value's binary hook).
    if (items === null) return binary(op, x, y, thread);
    checkListMutable(x, 'apply += to');
    // Copy first: `l += l` must not see its own growth.
    listExtend(thread, x, items === x.elems ? items.slice() : items);
    return x;
  }
  if (op === '|' && x instanceof Dict && y instanceof Dict) {
    // `d |= other` updates d in place (aliases see the change).
    for (const [k, v] of tableEntries(y)) tableSet(thread, x, k, v);
    return x;
  }
  return binary(op, x, y, thread);
}
