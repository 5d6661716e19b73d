/** Shared helpers for runtime unit tests: call builtins and methods without the compiler. */
import assert from 'node:assert/strict';
import { universe } from '../../src/starlark/builtins/universe.ts';
import { StarlarkError } from '../../src/starlark/values/errors.ts';
import { callMethod } from '../../src/starlark/builtins/attrs.ts';
import { call, repr } from '../../src/starlark/values/ops.ts';
import { Thread, type ThreadInit } from '../../src/starlark/values/thread.ts';
import { Float, List, Tuple, type Kwargs, type Value } from '../../src/starlark/values/value.ts';

export const thread = (init?: ThreadInit): Thread => new Thread(init);

/** Calls a universe builtin. */
export function builtin(name: string, args: Value[], kwargs: Kwargs | null = null, t = thread()): Value {
  return call(t, universe[name]!, args, kwargs);
}

/** Calls a method on a receiver. */
export function method(recv: Value, name: string, args: Value[] = [], kwargs: Kwargs | null = null, t = thread()): Value {
  return callMethod(t, recv, name, args, kwargs);
}

/** Asserts that repr(actual) equals the expected repr text. */
export function eqRepr(actual: Value, expected: string, msg?: string): void {
  assert.equal(repr(actual), expected, msg);
}

/** Asserts that `f` throws a StarlarkError whose message matches `re`. */
export function throwsStar(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof StarlarkError, `expected StarlarkError, got ${String(e)}`);
    assert.match(e.msg, re);
    return true;
  });
}

export const f = (v: number): Float => new Float(v);
export const list = (...v: Value[]): List => new List(v);
export const tuple = (...v: Value[]): Tuple => new Tuple(v);
