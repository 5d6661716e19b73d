/** The predeclared builtins of the spec (True/False/None are handled by the resolver). */
import { Builtin, type BuiltinFn, type Value } from '../values/value.ts';
import * as C from './convert.ts';
import * as F from './functions.ts';
import * as S from './sort.ts';

const fns: Record<string, BuiltinFn> = {
  abs: F.abs, any: F.any, all: F.all, bool: C.bool, bytes: C.bytes, chr: C.chr, dict: C.dict, dir: F.dir,
  enumerate: F.enumerate, fail: F.fail, float: C.float, getattr: F.getattr, hasattr: F.hasattr, hash: F.hash,
  int: C.int_, len: F.len, list: C.list, max: F.max, min: F.min, ord: C.ord, print: F.print, range: C.range,
  repr: F.repr, reversed: F.reversed, set: C.set, sorted: S.sorted, str: C.str_, tuple: C.tuple, type: F.type,
  zip: F.zip,
};

/**
 * Every builtin function by name; `set` should only be resolvable with the allowSet option.
 * Prototype-free, so `universe[name]` is safe for any identifier (e.g. "constructor").
 */
export const universe: Readonly<Record<string, Value>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Value>, ...Object.entries(fns).map(([name, fn]) => ({ [name]: new Builtin(name, fn) }))),
);
