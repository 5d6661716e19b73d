/** Float arithmetic, exact int/float comparison, and spec-style formatting. */
import { fail } from './errors.ts';
import type { Int } from './int.ts';

/** Floored division, as starlark-go: floor(x / y). */
export function floorDiv(x: number, y: number): number {
  if (y === 0) fail('floored division by zero');
  return Math.floor(x / y);
}

/** Floored modulo: the result takes the sign of the divisor. */
export function mod(x: number, y: number): number {
  if (y === 0) fail('floating-point modulo by zero');
  let r = x % y;
  if (r !== 0 && (r < 0) !== (y < 0)) r += y;
  return r;
}

export function div(x: number, y: number): number {
  if (y === 0) fail('floating-point division by zero');
  return x / y;
}

/**
 * Total order used by comparisons and sorted(): NaN equals itself and sorts
 * after every other float (as in starlark-go).
 */
export function cmpFloat(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a), bn = Number.isNaN(b);
  return an && bn ? 0 : an ? 1 : -1;
}

/** Exact comparison of an int with a float (no rounding of the int). */
export function cmpIntFloat(i: Int, f: number): number {
  if (typeof i === 'number' || Number.isNaN(f)) return cmpFloat(Number(i), f);
  if (!Number.isFinite(f)) return f > 0 ? -1 : 1;
  const t = Math.trunc(f);
  const bt = BigInt(t);
  if (i !== bt) return i < bt ? -1 : 1;
  // Integral parts equal: the fractional part of f decides.
  return f > t ? -1 : f < t ? 1 : 0;
}

/** Splits a finite float into its shortest decimal digits and exponent (d.ddd × 10^exp). */
function shortest(v: number): { digits: string; exp: number } {
  const s = Math.abs(v).toExponential();
  const e = s.indexOf('e');
  return { digits: s.slice(0, e).replace('.', ''), exp: Number(s.slice(e + 1)) };
}

function signOf(v: number): string {
  return v < 0 || Object.is(v, -0) ? '-' : '';
}

function expSuffix(exp: number): string {
  const a = Math.abs(exp);
  return (exp < 0 ? 'e-' : 'e+') + (a < 10 ? '0' + a : String(a));
}

function nonFinite(v: number): string | null {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return '+inf';
  if (v === -Infinity) return '-inf';
  return null;
}

/**
 * str(float): the shortest digits that round-trip, in %g style (exponent
 * form when exp < -4 or exp >= 6), always showing a '.' or an exponent.
 */
export function formatFloat(v: number): string {
  const a = Math.abs(v);
  // Fast path: in this range JS's shortest decimal form is already the %g form.
  if (a >= 1e-4 && a < 1e6) {
    const s = String(v);
    return s.includes('.') ? s : s + '.0';
  }
  const nf = nonFinite(v);
  if (nf !== null) return nf;
  const { digits, exp } = shortest(v);
  const sign = signOf(v);
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return sign + mant + expSuffix(exp);
  }
  let s: string;
  if (exp < 0) s = '0.' + '0'.repeat(-exp - 1) + digits;
  else if (digits.length > exp + 1) s = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  else s = digits + '0'.repeat(exp + 1 - digits.length) + '.0';
  return sign + s;
}

/**
 * JS's toFixed/toExponential round exact ties half up; C and Go round them
 * half to even. `rounded` is the JS result with `digits` digits after the
 * point; `exact` the same number with 100 digits (exact for any tie).
 */
function halfEven(rounded: string, exact: string, digits: number): string {
  const dot = exact.indexOf('.');
  const cut = dot + 1 + digits + (digits === 0 ? -1 : 0);
  const rest = exact.slice(dot + 1 + digits, exact.search(/e|$/));
  if (!/^50*$/.test(rest)) return rounded;
  const truncated = exact.slice(0, digits === 0 ? dot : cut) + exact.slice(exact.search(/e|$/));
  const last = Number(truncated[digits === 0 ? dot - 1 : cut - 1]);
  return last % 2 === 0 ? truncated : rounded;
}

/** %e with the given precision (default 6). */
export function formatE(v: number, prec = 6): string {
  const nf = nonFinite(v);
  if (nf !== null) return nf;
  const a = Math.abs(v);
  const s = halfEven(a.toExponential(prec), a.toExponential(100), prec);
  const e = s.indexOf('e');
  return signOf(v) + s.slice(0, e) + expSuffix(Number(s.slice(e + 1)));
}

/** %f with the given precision (default 6); exact for large magnitudes. */
export function formatF(v: number, prec = 6): string {
  const nf = nonFinite(v);
  if (nf !== null) return nf;
  const a = Math.abs(v);
  // toFixed switches to exponent form at 1e21; such floats are integers, so print them via BigInt.
  const body = a < 1e21 ? halfEven(a.toFixed(prec), a.toFixed(100), prec) : BigInt(a).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  return signOf(v) + body;
}

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const SPECIAL_RE = /^([+-]?)(inf|infinity|nan)$/i;

/** float(s): decimal or exponent literal, or inf/infinity/nan with optional sign. */
export function parseFloat(s: string): number {
  const sp = SPECIAL_RE.exec(s);
  if (sp !== null) {
    if (sp[2]!.toLowerCase() === 'nan') return NaN;
    return sp[1] === '-' ? -Infinity : Infinity;
  }
  if (!FLOAT_RE.test(s)) fail(`invalid float literal: ${s}`);
  const v = Number(s);
  if (!Number.isFinite(v)) fail(`floating-point number too large: ${s}`);
  return v;
}
