/**
 * Int arithmetic. An int is a JS number when safe, else a bigint; every
 * result goes through `norm` so the representation stays canonical.
 */
import { fail } from './errors.ts';

/** An int in either representation. */
export type Int = number | bigint;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Ints are capped at 2^MAX_INT_BITS in magnitude: squaring in a loop would
 * otherwise let a program spend unbounded time and memory in one operation.
 */
export const MAX_INT_BITS = 65536;
const INT_LIMIT = 1n << BigInt(MAX_INT_BITS);
/** Kept, not written `-INT_LIMIT` in norm: negating allocates an 8 KB bigint (~0.6 µs) per result. */
const NEG_INT_LIMIT = -INT_LIMIT;

/** Canonical form of a bigint result: a number when it fits exactly; fails beyond the size cap. */
export function norm(b: bigint): Int {
  // Tested big-first: most results of bigint arithmetic stay big, and then two comparisons settle it.
  if (b > MAX_SAFE) {
    if (b >= INT_LIMIT) tooLarge();
    return b;
  }
  if (b < MIN_SAFE) {
    if (b <= NEG_INT_LIMIT) tooLarge();
    return b;
  }
  return Number(b);
}

function tooLarge(): never {
  return fail(`int too large (exceeds ${MAX_INT_BITS} bits)`);
}

/** Canonical form of an integral JS number that may be outside the safe range. */
export function fromIntegralNumber(n: number): Int {
  return Number.isSafeInteger(n) ? n + 0 : BigInt(n);
}

/** x as a bigint. V8 converts an int32 (`i | 0`) to a bigint inline, a general number ~2x slower. */
function big(x: Int): bigint {
  if (typeof x === 'bigint') return x;
  const i = x | 0;
  return i === x ? BigInt(i) : BigInt(x);
}

export function add(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x + y;
    if (Number.isSafeInteger(r)) return r;
  }
  return norm(big(x) + big(y));
}

export function sub(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x - y;
    if (Number.isSafeInteger(r)) return r;
  }
  return norm(big(x) - big(y));
}

export function mul(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    // A product whose true value is safe is computed exactly; `+ 0` turns -0 into 0.
    const r = x * y + 0;
    if (Number.isSafeInteger(r)) return r;
  }
  return norm(big(x) * big(y));
}

/** Floored division (rounds toward negative infinity), as in Python. */
export function floorDiv(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    if (y === 0) fail('integer division by zero');
    const r = x % y;
    // x - r is an exact multiple of y, so the division below is exact.
    let q = (x - r) / y;
    if (r !== 0 && (r < 0) !== (y < 0)) q -= 1;
    return fromIntegralNumber(q);
  }
  const a = big(x), b = big(y);
  if (b === 0n) fail('integer division by zero');
  let q = a / b;
  // Truncation differs from flooring only for an inexact quotient of operands of opposite signs
  // (tested with a multiplication, not a second division).
  if ((a < 0n) !== (b < 0n) && q * b !== a) q -= 1n;
  return norm(q);
}

/** Floored modulo: the result has the sign of the divisor. */
export function mod(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    if (y === 0) fail('integer modulo by zero');
    let r = x % y;
    if (r !== 0 && (r < 0) !== (y < 0)) r += y;
    return r + 0;
  }
  const a = big(x), b = big(y);
  if (b === 0n) fail('integer modulo by zero');
  let r = a % b;
  if (r !== 0n && (r < 0n) !== (b < 0n)) r += b;
  return norm(r);
}

/** True if n fits in a signed 32-bit int, where JS bit operators are exact. */
function is32(n: number): boolean {
  return (n | 0) === n;
}

export function and(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number' && is32(x) && is32(y)) return x & y;
  return norm(big(x) & big(y));
}

export function or(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number' && is32(x) && is32(y)) return x | y;
  return norm(big(x) | big(y));
}

export function xor(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number' && is32(x) && is32(y)) return x ^ y;
  return norm(big(x) ^ big(y));
}

/** Largest shift accepted; bounds the size of `1 << n`. */
const MAX_SHIFT = 511;

/** BigInt(n) for every accepted shift count, made once instead of per shift. */
const SHIFT_COUNTS: readonly bigint[] = Array.from({ length: MAX_SHIFT + 1 }, (_v, n) => BigInt(n));

function shiftCount(y: Int): number {
  if (y < 0) fail('negative shift count: ' + String(y));
  if (y > MAX_SHIFT) fail('shift count too large: ' + String(y));
  return Number(y);
}

export function shl(x: Int, y: Int): Int {
  const n = shiftCount(y);
  if (typeof x === 'number' && n < 31 && is32(x)) {
    const r = x * 2 ** n;
    if (Number.isSafeInteger(r)) return r;
  }
  return norm(big(x) << SHIFT_COUNTS[n]!);
}

export function shr(x: Int, y: Int): Int {
  const n = shiftCount(y);
  if (typeof x === 'number') return n >= 53 ? (x < 0 ? -1 : 0) : Math.floor(x / 2 ** n) + 0;
  return norm(x >> SHIFT_COUNTS[n]!);
}

export function neg(x: Int): Int {
  return typeof x === 'number' ? 0 - x : norm(-x);
}

export function invert(x: Int): Int {
  return typeof x === 'number' ? -1 - x : norm(~x);
}

export function abs(x: Int): Int {
  if (typeof x === 'number') return Math.abs(x);
  return x < 0n ? norm(-x) : x;
}

/** Converts to a float value, failing (as the spec says) when too large. */
export function toFloat(x: Int): number {
  if (typeof x === 'number') return x;
  const f = Number(x);
  if (!Number.isFinite(f)) fail('int too large to convert to float');
  return f;
}

/** Truncates a finite float to an int. */
export function fromFloat(f: number): Int {
  if (Number.isNaN(f)) fail('cannot convert float NaN to integer');
  if (!Number.isFinite(f)) fail('cannot convert float infinity to integer');
  return fromIntegralNumber(Math.trunc(f));
}

const DIGITS: Record<number, RegExp> = {};
/** Bases BigInt() parses natively, with the prefix it needs. */
const BIGINT_PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** Digit pattern for a base in 2..36 (cached). */
function digitPattern(base: number): RegExp {
  let re = DIGITS[base];
  if (re === undefined) {
    const chars = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
    re = new RegExp(`^[${chars}]+$`, 'i');
    DIGITS[base] = re;
  }
  return re;
}

/**
 * Parses the string form accepted by int(s, base): optional sign, optional
 * 0b/0o/0x prefix (matching the base; required to infer base 0), digits.
 * Returns null when the text is not a valid literal.
 */
export function parseInt(s: string, base: number): Int | null {
  if (base === 10 && s.length !== 0 && s.length <= 15) {
    // Plain decimal digits (int("42")): no sign, prefix or pattern to look at; the value is below 2^53.
    let v = 0, k = 0;
    for (; k < s.length; k++) {
      const d = s.charCodeAt(k) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (k === s.length) return v;
  }
  let i = 0;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    i = 1;
  }
  let body = s.slice(i);
  const prefix = body.slice(0, 2).toLowerCase();
  const prefixBase = prefix === '0x' ? 16 : prefix === '0o' ? 8 : prefix === '0b' ? 2 : 0;
  if (prefixBase !== 0 && (base === 0 || base === prefixBase)) {
    base = prefixBase;
    body = body.slice(2);
  } else if (base === 0) {
    // Base 0 without a prefix: decimal, and a leading 0 (old octal) is not allowed.
    if (body.length > 1 && body[0] === '0') return null;
    base = 10;
  }
  if (!digitPattern(base).test(body)) return null;
  // Parsing is superlinear in the length; no int under the size cap needs more digits than this.
  if (body.length > MAX_INT_BITS) fail(`int literal too long (${body.length} digits)`);
  let v: Int;
  if (body.length <= 10 || (base <= 10 && body.length <= 15)) {
    v = Number.parseInt(body, base);
  } else if (base in BIGINT_PREFIX) {
    v = norm(BigInt(BIGINT_PREFIX[base] + body));
  } else {
    let acc = 0n;
    const b = BigInt(base);
    for (const ch of body) acc = acc * b + BigInt(Number.parseInt(ch, base));
    v = norm(acc);
  }
  return negative ? neg(v) : v;
}
