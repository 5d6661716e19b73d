/**
 * The test-harness environment of the conformance runner: the `assert.star`
 * module (assert.eq/ne/true/lt/contains/fails/fail and `freeze`), whose
 * failed assertions are reported without stopping the chunk, and the
 * application-defined values starlark-go's tests predeclare
 * (hasfields, struct, fibonacci).
 */
import { toRegExp } from "./chunks.ts";
import { nearest } from "../spell.ts";
import { StarlarkError, toStarlarkError } from "../values/errors.ts";
import { binary, call, compare, equals, freeze, repr, str, truth } from "../values/ops.ts";
import type { Thread } from "../values/thread.ts";
import { Builtin, Float, List, Module, type HostValue, type Kwargs, type Value } from "../values/value.ts";

/** Receives assertion outcomes; `line` is the Starlark line of the failing call. */
export interface Reporter {
  pass(): void;
  fail(msg: string, line: number): void;
}

/** The innermost Starlark line, i.e. the line of the assert.* call. */
function currentLine(thread: Thread): number {
  return thread.frames[thread.frames.length - 1]?.line ?? 0;
}

function argsOf(name: string, args: Value[], kwargs: Kwargs | null, min: number, max: number): Value[] {
  if (kwargs !== null && kwargs.length > 0) throw new StarlarkError(`${name}: unexpected keyword arguments`);
  if (args.length < min || args.length > max) throw new StarlarkError(`${name}: got ${args.length} arguments, want ${min}..${max}`);
  return args;
}

/** Whether two floats are equal or adjacent (within 1 ULP), as starlark-go's _floateq. */
function floatNear(x: number, y: number): boolean {
  if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return true;
  const buf = new DataView(new ArrayBuffer(8));
  const bits = (f: number) => {
    buf.setFloat64(0, f);
    return buf.getBigInt64(0);
  };
  const d = bits(x) - bits(y);
  return (x > 0) === (y > 0) && (d === 1n || d === -1n);
}

function asFloat(v: Value): number | null {
  if (v instanceof Float) return v.value;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return null;
}

/**
 * Builds the globals of `assert.star`.
 *
 * @example const globals = assertModule(reporter); // { assert: Module, freeze: Builtin }
 */
export function assertModule(reporter: Reporter): Record<string, Value> {
  const check = (thread: Thread, ok: boolean, msg: () => string): Value => {
    if (ok) reporter.pass();
    else reporter.fail(msg(), currentLine(thread));
    return null;
  };
  const fn = (name: string, min: number, max: number, body: (thread: Thread, a: Value[]) => Value) =>
    new Builtin(name, (thread, args, kwargs) => body(thread, argsOf(name, args, kwargs, min, max)));

  const members: Record<string, Value> = {
    eq: fn("eq", 2, 2, (t, [x, y]) => {
      let ok = equals(x!, y!);
      if (!ok && (x instanceof Float || y instanceof Float)) {
        const a = asFloat(x!), b = asFloat(y!);
        ok = a !== null && b !== null && floatNear(a, b);
      }
      return check(t, ok, () => `${repr(x!)} != ${repr(y!)}`);
    }),
    ne: fn("ne", 2, 2, (t, [x, y]) => check(t, !equals(x!, y!), () => `${repr(x!)} == ${repr(y!)}`)),
    true: fn("true", 1, 2, (t, [c, msg]) => check(t, truth(c!), () => (msg === undefined ? "assertion failed" : str(msg)))),
    lt: fn("lt", 2, 2, (t, [x, y]) => check(t, compare("<", x!, y!), () => `${str(x!)} is not less than ${str(y!)}`)),
    contains: fn("contains", 2, 2, (t, [x, y]) =>
      check(t, binary("in", y!, x!, t) === true, () => `${str(x!)} does not contain ${str(y!)}`)),
    fails: fn("fails", 2, 2, (t, [f, pattern]) => {
      const msg = catchError(t, f!);
      if (msg === null) return check(t, false, () => `evaluation succeeded unexpectedly (want error matching ${repr(pattern!)})`);
      const rx = toRegExp(str(pattern!));
      return check(t, rx.test(msg), () => `regular expression (${str(pattern!)}) did not match error (${msg})`);
    }),
    fail: fn("fail", 1, 1, (t, [msg]) => check(t, false, () => str(msg!))),
  };
  return {
    assert: new Module("assert", members),
    freeze: new Builtin("freeze", (_t, args, kwargs) => {
      const [x] = argsOf("freeze", args, kwargs, 1, 1);
      freeze(x!);
      return x!;
    }),
  };
}

/** Calls f(); returns its error message, or null if it succeeded. Unwinds the failed frames. */
function catchError(thread: Thread, f: Value): string | null {
  const depth = thread.frames.length;
  try {
    call(thread, f, [], null);
    return null;
  } catch (e) {
    thread.frames.length = depth;
    return toStarlarkError(e).msg;
  }
}

/** A test-only value whose fields can be set until it is frozen (starlark-go's hasfields). */
class HasFields implements HostValue {
  readonly hostType = "hasfields";
  private readonly attrs = new Map<string, Value>();
  private frozen = false;

  getAttr(name: string): Value | undefined {
    return this.attrs.get(name);
  }
  attrNames(): string[] {
    return [...this.attrs.keys()];
  }
  setField(name: string, v: Value): void {
    if (this.frozen) throw new StarlarkError("cannot set field on a frozen hasfields");
    // Like starlark-go's test type: a "no" prefix makes the field nonexistent (to test spelling hints).
    if (name.startsWith("no")) {
      const hint = nearest(name, this.attrs.keys());
      throw new StarlarkError(`hasfields has no .${name} field or method${hint === null ? "" : ` (did you mean .${hint}?)`}`);
    }
    this.attrs.set(name, v);
  }
  freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const v of this.attrs.values()) freeze(v);
  }
  repr(): string {
    return "hasfields";
  }
  /** list + hasfields is 42: exercises `list += x` where x is not iterable but defines list + x. */
  binary(op: string, other: Value): Value | undefined {
    return op === "+" && other instanceof List ? 42 : undefined;
  }
  hash(): number {
    return 42;
  }
}

/** An immutable record built from keyword arguments (starlark-go's starlarkstruct.Struct). */
class Struct implements HostValue {
  readonly hostType = "struct";
  private readonly fields: Map<string, Value>;

  constructor(fields: Map<string, Value>) {
    this.fields = fields;
  }
  getAttr(name: string): Value | undefined {
    return this.fields.get(name);
  }
  attrNames(): string[] {
    return [...this.fields.keys()].sort();
  }
  freeze(): void {
    for (const v of this.fields.values()) freeze(v);
  }
  repr(): string {
    const parts = [...this.fields.keys()].sort().map((k) => `${k} = ${repr(this.fields.get(k)!)}`);
    return `struct(${parts.join(", ")})`;
  }
}

/** The infinite Fibonacci sequence 0, 1, 1, 2, ... as an iterable host value. */
const FIBONACCI: HostValue = {
  hostType: "fib",
  repr: () => "fib",
  iterate: () => {
    let x = 0, y = 1;
    return () => {
      const v = x;
      [x, y] = [y, x + y];
      return v;
    };
  },
};

/** Values predeclared in every executed test chunk, as in starlark-go's eval_test.go. */
export function testPredeclared(): Record<string, Value> {
  return {
    hasfields: new Builtin("hasfields", (_t, args, kwargs) => {
      if (args.length + (kwargs?.length ?? 0) > 0) throw new StarlarkError("hasfields: unexpected arguments");
      return new HasFields();
    }),
    fibonacci: FIBONACCI,
    struct: new Builtin("struct", (_t, args, kwargs) => {
      if (args.length > 0) throw new StarlarkError(`struct: unexpected positional arguments`);
      return new Struct(new Map(kwargs ?? []));
    }),
  };
}

