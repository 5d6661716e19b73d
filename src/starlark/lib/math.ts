/** The `math` module (as starlark-go's lib/math): float functions accepting ints or floats. */
import { positional } from '../builtins/args.ts';
import { fail } from '../values/errors.ts';
import * as I from '../values/int.ts';
import { typeName } from '../values/kinds.ts';
import { Builtin, Float, Module, type Value } from '../values/value.ts';

/** An int or float argument as a JS number. */
function num(fn: string, i: number, v: Value): number {
  if (v instanceof Float) return v.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return I.toFloat(v);
  return fail(`${fn}: for parameter ${i + 1}: got ${typeName(v)}, want float or int`);
}

function unary(name: string, f: (x: number) => number): Builtin {
  return new Builtin(name, (_thread, args, kwargs) => {
    positional(name, args, kwargs, 1, 1);
    return new Float(f(num(name, 0, args[0]!)));
  });
}

function binary(name: string, f: (x: number, y: number) => number): Builtin {
  return new Builtin(name, (_thread, args, kwargs) => {
    positional(name, args, kwargs, 2, 2);
    return new Float(f(num(name, 0, args[0]!), num(name, 1, args[1]!)));
  });
}

/** ceil/floor: ints are returned unchanged, floats rounded to an int. */
function toInt(name: string, f: (x: number) => number): Builtin {
  return new Builtin(name, (_thread, args, kwargs) => {
    positional(name, args, kwargs, 1, 1);
    const x = args[0]!;
    if (typeof x === 'number' || typeof x === 'bigint') return x;
    if (x instanceof Float) return I.fromFloat(f(x.value));
    return fail(`${name}: got ${typeName(x)}, want float or int`);
  });
}

/** Round half away from zero (Go's math.Round; JS Math.round rounds -0.5 up). */
function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t + 0;
}

/** IEEE 754 remainder: x - n*y with n = x/y rounded half to even. */
function remainder(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || y === 0) return NaN;
  if (!Number.isFinite(y)) return x;
  const q = x / y;
  let n = Math.round(q);
  if (Math.abs(q - Math.trunc(q)) === 0.5) n = 2 * Math.round(q / 2);
  return x - n * y;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Gamma function: exact factorials for small positive integers, Lanczos otherwise. */
function gamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (Number.isInteger(x)) {
    if (x <= 0) return x === 0 ? Infinity : NaN;
    if (x <= 171) {
      let f = 1;
      for (let i = 2; i < x; i++) f *= i;
      return f;
    }
    return Infinity;
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return Math.sqrt(2 * Math.PI) * t ** (z + 0.5) * Math.exp(-t) * a;
}

function mod(x: number, y: number): number {
  return x % y; // fmod semantics, like Go's math.Mod
}

export const math = new Module('math', {
  ceil: toInt('ceil', Math.ceil),
  copysign: binary('copysign', (x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x))),
  fabs: unary('fabs', Math.abs),
  floor: toInt('floor', Math.floor),
  mod: binary('mod', mod),
  pow: binary('pow', Math.pow),
  remainder: binary('remainder', remainder),
  round: unary('round', round),
  exp: unary('exp', Math.exp),
  sqrt: unary('sqrt', Math.sqrt),
  acos: unary('acos', Math.acos),
  asin: unary('asin', Math.asin),
  atan: unary('atan', Math.atan),
  atan2: binary('atan2', Math.atan2),
  cos: unary('cos', Math.cos),
  hypot: binary('hypot', Math.hypot),
  sin: unary('sin', Math.sin),
  tan: unary('tan', Math.tan),
  degrees: unary('degrees', (x) => (x * 180) / Math.PI),
  radians: unary('radians', (x) => (x * Math.PI) / 180),
  acosh: unary('acosh', Math.acosh),
  asinh: unary('asinh', Math.asinh),
  atanh: unary('atanh', Math.atanh),
  cosh: unary('cosh', Math.cosh),
  sinh: unary('sinh', Math.sinh),
  tanh: unary('tanh', Math.tanh),
  log: new Builtin('log', (_thread, args, kwargs) => {
    positional('log', args, kwargs, 1, 2);
    const x = num('log', 0, args[0]!);
    if (args.length === 1) return new Float(Math.log(x));
    const base = num('log', 1, args[1]!);
    if (base === 1) fail('log: division by zero');
    return new Float(Math.log(x) / Math.log(base));
  }),
  gamma: unary('gamma', gamma),
  e: new Float(Math.E),
  pi: new Float(Math.PI),
});
