/**
 * Starlark value representation (the runtime contract).
 *
 * Chosen for speed: primitives map onto JS primitives so the common paths
 * (small ints, strings, bools) never allocate.
 *   None   -> null
 *   bool   -> boolean
 *   int    -> number when Number.isSafeInteger, else bigint (always normalised:
 *             a bigint in the safe range is converted back to a number), so
 *             `typeof v === 'number'` means "int".
 *   float  -> Float (boxed, so it is never confused with an int)
 *   string -> string (UTF-16 code units, like Java's Starlark)
 */
import { HashTable } from './hashtable.ts';
import type { Thread } from './thread.ts';

export { HashTable };

/** Keyword arguments in call order; names are unique (checked by the caller). */
export type Kwargs = Array<[string, Value]>;

/** Anything that can be called: builtins, compiled functions, host functions. */
export interface Callable {
  readonly name: string;
  call(thread: Thread, args: Value[], kwargs: Kwargs | null): Value;
  /** Optional: the same as call(thread, [x], null) without the argument array (key functions). */
  call1?(thread: Thread, x: Value): Value;
}

/**
 * A value supplied by an embedder (e.g. WCE's db, req, response objects).
 * `hostType` is what type(v) returns; every other hook is optional.
 */
export interface HostValue {
  readonly hostType: string;
  /** Returns undefined when there is no such attribute. */
  getAttr?(name: string, thread: Thread): Value | undefined;
  attrNames?(): string[];
  /** Throw a StarlarkError to refuse. */
  setField?(name: string, value: Value): void;
  /**
   * Iteration (for loops, list(x), ...): returns a function yielding the next
   * element, or undefined at the end. May be infinite (loops then use break).
   */
  iterate?(): () => Value | undefined;
  /** x[i]; throw a StarlarkError for a bad index. */
  getIndex?(i: Value): Value;
  truth?(): boolean;
  repr?(): string;
  freeze?(): void;
  /**
   * Present only for hashable host values: a canonical key, equal for equal
   * values of this hostType (e.g. a timestamp in nanoseconds).
   */
  hashKey?(): string | number | bigint;
  equals?(other: Value): boolean;
  /** Ordering against another value of the same hostType: negative, zero or positive. */
  compare?(other: Value): number;
  /**
   * `this op other` (or `other op this` when `right` is true); returns
   * undefined when unsupported so the usual "unknown binary op" error results.
   */
  binary?(op: string, other: Value, right: boolean): Value | undefined;
  /** Present only for callable host values. */
  call?(thread: Thread, args: Value[], kwargs: Kwargs | null): Value;
}

/** Starlark float; boxed so that ints and floats stay distinguishable. */
export class Float {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** Immutable byte string. */
export class Bytes {
  readonly data: Uint8Array;
  constructor(data: Uint8Array) {
    this.data = data;
  }
}

/** Mutable list. `itercount` > 0 while a for-loop iterates it (mutation is then an error). */
export class List {
  elems: Value[];
  frozen = false;
  itercount = 0;
  constructor(elems: Value[]) {
    this.elems = elems;
  }
}

/** Immutable tuple. */
export class Tuple {
  readonly elems: Value[];
  /** Its canonical dict key (hashing.ts), computed on first use: `d[t] = d.get(t, 0) + 1` encodes t once. */
  key: string | null = null;
  constructor(elems: Value[]) {
    this.elems = elems;
  }
}

/** Insertion-ordered dict. */
export class Dict extends HashTable {}

/** Insertion-ordered set (only with the allowSet option). */
export class StarSet extends HashTable {}

/** Lazily evaluated range(start, stop, step); `len` is precomputed. */
export class Range {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
  readonly len: number;
  constructor(start: number, stop: number, step: number) {
    this.start = start;
    this.stop = stop;
    this.step = step;
    const n = step > 0 ? Math.ceil((stop - start) / step) : Math.ceil((start - stop) / -step);
    this.len = n > 0 ? n : 0;
  }
}

/**
 * Implementation of a builtin: `recv` is the bound receiver for methods
 * (undefined otherwise). Called without `this` (compiled code calls a known
 * builtin's function directly).
 */
export type BuiltinFn = (thread: Thread, args: Value[], kwargs: Kwargs | null, recv: Value) => Value;

/** A builtin function, or a method bound to its receiver. */
export class Builtin implements Callable {
  readonly name: string;
  readonly fn: BuiltinFn;
  readonly recv: Value | undefined;
  constructor(name: string, fn: BuiltinFn, recv?: Value) {
    this.name = name;
    this.fn = fn;
    this.recv = recv;
  }
  call(thread: Thread, args: Value[], kwargs: Kwargs | null): Value {
    return this.fn(thread, args, kwargs, this.recv as Value);
  }
}

/** A named bag of frozen members: json, math, time, or a host module. */
export class Module {
  readonly name: string;
  readonly members: Record<string, Value>;
  constructor(name: string, members: Record<string, Value>) {
    this.name = name;
    this.members = Object.freeze(members);
  }
}

/** Which view a StringIter gives of its source. */
export type StringIterKind = 'elems' | 'elem_ords' | 'codepoints' | 'codepoint_ords';

/** The iterable returned by string/bytes .elems(), .codepoints() etc.: not indexable, only iterable. */
export class StringIter {
  readonly src: string | Bytes;
  readonly kind: StringIterKind;
  constructor(src: string | Bytes, kind: StringIterKind) {
    this.src = src;
    this.kind = kind;
  }
}

/** Every Starlark value. */
export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Float
  | Bytes
  | List
  | Tuple
  | Dict
  | StarSet
  | Range
  | StringIter
  | Builtin
  | Callable
  | Module
  | HostValue;
