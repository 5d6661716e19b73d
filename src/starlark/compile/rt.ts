/**
 * The single import point for runtime operations used by the compiler and
 * the code it generates, so changes in the runtime's module layout touch
 * one file of the compiler.
 */
export {
  add, augmented, bitAnd, bitOr, bitXor, call, compare, contains, dictEntries, dictOfStrings, DictShape, dictSet, div, equals,
  floorDiv, freeze, getIndex, itemColumns, iterableElems, iterate, mod, mul, repr, setField,
  setIndex, shl, shr, slice, SMALL_TABLE, sub, truth, typeName, unary,
} from "../values/ops.ts";
export { quote } from "../values/repr.ts";
export * as ints from "../values/int.ts";
export { ESC } from "../values/hashing.ts";
export { StarlarkError } from "../values/errors.ts";
export { Builtin, Bytes, Dict, Float, List, Range, Tuple } from "../values/value.ts";
export type { Callable, Kwargs, Value } from "../values/value.ts";
export type { Frame, Thread } from "../values/thread.ts";
export { universe } from "../builtins/universe.ts";
export { methodsNamed } from "../builtins/methods.ts";
export { getAttr, methodCaller } from "../builtins/attrs.ts";
