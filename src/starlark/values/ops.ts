/**
 * The operations compiled code calls. Everything here is re-exported or
 * implemented in one place so the compiler has a single import.
 *
 * Operators: prefer the per-operator functions (add, sub, mul, ..., compare)
 * in hot code; `binary(op, x, y, thread)` takes the operator token as a string
 * ('+', '-', '*', '/', '//', '%', '&', '|', '^', '<<', '>>', 'in', 'not in'),
 * `compare(op, x, y, thread?)` takes '==', '!=', '<', '<=', '>', '>='. Passing the thread to
 * contains/slice/equals/compare lets them charge bulk work as steps.
 * Attributes and method calls (getAttr, callMethod, methodCaller) are in
 * builtins/attrs.ts, beside the method tables.
 */
import { checkListMutable, listExtend, tableEntries, tableSet } from './collections.ts';
import { fail } from './errors.ts';
import { isCallable, isHost, typeName } from './kinds.ts';
import { iterableElems } from './iter.ts';
import { binary, type BinaryOp } from './arith.ts';
import type { Thread } from './thread.ts';
import { Dict, HashTable, List, Tuple, type Kwargs, type Value } from './value.ts';

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
