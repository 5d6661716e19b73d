/**
 * Argument unpacking for builtins and embedders' host functions (in the
 * manner of starlark-go's UnpackArgs), with spec-style error messages.
 *
 *   const P = params('get', 'key', 'default?');      // once, at module load
 *   const [key, dflt] = P.unpack(args, kwargs);      // undefined when omitted
 */
import { fail } from '../values/errors.ts';
import { isCallable, typeName } from '../values/kinds.ts';
import { nearest } from '../spell.ts';
import { Float, type Kwargs, type Value } from '../values/value.ts';

/** A parsed parameter list: names, with a `?` suffix marking optional ones. */
export class Params {
  readonly fnName: string;
  readonly names: readonly string[];
  readonly required: number;

  constructor(fnName: string, specs: string[]) {
    this.fnName = fnName;
    this.names = specs.map((s) => (s.endsWith('?') ? s.slice(0, -1) : s));
    const firstOptional = specs.findIndex((s) => s.endsWith('?'));
    this.required = firstOptional < 0 ? specs.length : firstOptional;
  }

  /**
   * Matches positional and keyword arguments to parameters; omitted optional
   * ones are undefined. Read-only: without keywords it may be `args` itself.
   */
  unpack(args: Value[], kwargs: Kwargs | null): ReadonlyArray<Value | undefined> {
    const n = this.names.length;
    // Positional only (most calls): args already is the answer (reading past its end gives undefined).
    if (kwargs === null && args.length <= n && args.length >= this.required) return args;
    if (args.length > n) fail(`${this.fnName}: got ${args.length} arguments, want at most ${n}`);
    const out: Array<Value | undefined> = args.length === n ? args.slice() : [...args, ...new Array<undefined>(n - args.length)];
    if (kwargs !== null) {
      for (const [name, v] of kwargs) {
        const i = this.names.indexOf(name);
        if (i < 0) unexpectedKeyword(this.fnName, name, this.names);
        if (out[i] !== undefined) fail(`${this.fnName}: got multiple values for keyword argument ${name}`);
        out[i] = v;
      }
    }
    for (let i = 0; i < this.required; i++) {
      if (out[i] === undefined) fail(`${this.fnName}: missing argument for ${this.names[i]}`);
    }
    return out;
  }

  /** `fn: for parameter p: msg`. */
  error(param: string, msg: string): never {
    return fail(`${this.fnName}: for parameter ${param}: ${msg}`);
  }
}

/** Fails with "f: unexpected keyword argument x", suggesting the closest valid name. */
export function unexpectedKeyword(fnName: string, name: string, valid: readonly string[]): never {
  const hint = nearest(name, [...valid]);
  return fail(`${fnName}: unexpected keyword argument ${name}${hint === null ? '' : ` (did you mean ${hint}?)`}`);
}

/** Declares a parameter list (see Params). */
export function params(fnName: string, ...specs: string[]): Params {
  return new Params(fnName, specs);
}

/** Checks a positional-only call: no keywords, between min and max arguments. */
export function positional(fnName: string, args: Value[], kwargs: Kwargs | null, min: number, max: number): void {
  if (kwargs !== null && kwargs.length > 0) fail(`${fnName}: unexpected keyword arguments`);
  if (args.length < min) fail(`${fnName}: got ${args.length} arguments, want ${min === max ? '' : 'at least '}${min}`);
  if (args.length > max) fail(`${fnName}: got ${args.length} arguments, want ${min === max ? '' : 'at most '}${max}`);
}

function want(fnName: string, param: string, v: Value, what: string): never {
  return fail(`${fnName}: for parameter ${param}: got ${typeName(v)}, want ${what}`);
}

/** v as a string, or a "for parameter" error. */
export function asString(fnName: string, param: string, v: Value): string {
  return typeof v === 'string' ? v : want(fnName, param, v, 'string');
}

/** v as a safe-integer JS number (bigints are out of range), or an error. */
export function asInt(fnName: string, param: string, v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') fail(`${fnName}: for parameter ${param}: ${v} out of range`);
  return want(fnName, param, v, 'int');
}

/** v as a bool, or an error. */
export function asBool(fnName: string, param: string, v: Value): boolean {
  return typeof v === 'boolean' ? v : want(fnName, param, v, 'bool');
}

/** v as a JS number from an int or float, or an error. */
export function asNumber(fnName: string, param: string, v: Value): number {
  if (v instanceof Float) return v.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return want(fnName, param, v, 'float or int');
}

/** v when callable, or an error. */
export function asCallable(fnName: string, param: string, v: Value): Value {
  return isCallable(v) ? v : want(fnName, param, v, 'callable');
}
