/**
 * The single import point for runtime operations used by compiled code, so
 * changes in the runtime's module layout touch one file of the compiler.
 */
export {
  augmented, binary, call, callMethod, compare, dictSet, equals, freeze, getAttr, getIndex,
  iterableElems, iterate, repr, setField, setIndex, slice, truth, typeName, unary,
} from "../values/ops.ts";
export { quote } from "../values/repr.ts";
export type { BinaryOp, CompareOp } from "../values/ops.ts";
export { StarlarkError } from "../values/errors.ts";
export { Bytes, Dict, Float, List, Range, Tuple } from "../values/value.ts";
export type { Callable, Kwargs, Value } from "../values/value.ts";
export type { Thread } from "../values/thread.ts";
