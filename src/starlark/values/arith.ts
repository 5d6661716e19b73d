/**
 * Binary and unary operators (spec "Arithmetic operations", "Membership").
 * Each operator has its own exported function so compiled code can call it
 * directly; the int fast path comes first and allocates nothing.
 */
import { percentFormat } from './percent.ts';
import { hashedHas, equals } from './compare.ts';
import { fail } from './errors.ts';
import * as F from './float.ts';
import * as I from './int.ts';
import { isHost, typeName } from './kinds.ts';
import { setDifference, setIntersection, setSymmetricDifference, setUnion, dictUnion } from './setops.ts';
import type { Thread } from './thread.ts';
import { Bytes, Dict, Float, List, Range, StarSet, Tuple, type Value } from './value.ts';

/** Last resort for every operator: host values' own `binary` hook, else the spec error. */
function unknown(op: string, x: Value, y: Value): Value {
  if (isHost(x) && x.binary !== undefined) {
    const r = x.binary(op, y, false);
    if (r !== undefined) return r;
  }
  if (isHost(y) && y.binary !== undefined) {
    const r = y.binary(op, x, true);
    if (r !== undefined) return r;
  }
  return fail(`unknown binary op: ${typeName(x)} ${op} ${typeName(y)}`);
}

/** The float value of an int or float operand, or null for other types. */
function num(v: Value): number | null {
  if (v instanceof Float) return v.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return I.toFloat(v);
  return null;
}

function isInt(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/**
 * The common float case, tested first after small ints: a float with a float
 * or a safe int (no bigint conversion). Then `fv` of each operand is its value.
 */
function isFloatPair(x: Value, y: Value): boolean {
  if (x instanceof Float) return y instanceof Float || typeof y === 'number';
  return y instanceof Float && typeof x === 'number';
}

function fv(v: Value): number {
  return typeof v === 'number' ? v : (v as Float).value;
}

/** Float arithmetic when either side is a float and the other a number; null otherwise. */
function floatOperands(x: Value, y: Value): [number, number] | null {
  if (!(x instanceof Float) && !(y instanceof Float)) return null;
  const a = num(x), b = num(y);
  return a === null || b === null ? null : [a, b];
}

/** Below this many elements a copy loop beats Array.prototype.concat (~70 ns even for `t + (x,)`). */
const SMALL_CONCAT = 1024;

/** x followed by y, in a fresh array. */
function concat(x: Value[], y: Value[]): Value[] {
  const n = x.length, m = y.length;
  if (n + m >= SMALL_CONCAT) return x.concat(y);
  const out = new Array<Value>(n + m);
  for (let i = 0; i < n; i++) out[i] = x[i]!;
  for (let i = 0; i < m; i++) out[n + i] = y[i]!;
  return out;
}

export function add(x: Value, y: Value, thread: Thread): Value {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x + y;
    if (Number.isSafeInteger(r)) return r;
  }
  if (isFloatPair(x, y)) return new Float(fv(x) + fv(y));
  if (typeof x === 'string' && typeof y === 'string') {
    const n = x.length + y.length;
    if (n > thread.limits.maxStringLength) thread.checkString(n);
    return x + y;
  }
  if (isInt(x) && isInt(y)) return I.add(x, y);
  if (x instanceof List && y instanceof List) {
    thread.checkList(x.elems.length + y.elems.length);
    thread.step((x.elems.length + y.elems.length) >> 4);
    return new List(concat(x.elems, y.elems));
  }
  if (x instanceof Tuple && y instanceof Tuple) {
    thread.checkList(x.elems.length + y.elems.length);
    return new Tuple(concat(x.elems, y.elems));
  }
  const f = floatOperands(x, y);
  if (f !== null) return new Float(f[0] + f[1]);
  if (x instanceof Bytes && y instanceof Bytes) {
    thread.checkString(x.data.length + y.data.length);
    const out = new Uint8Array(x.data.length + y.data.length);
    out.set(x.data);
    out.set(y.data, x.data.length);
    return new Bytes(out);
  }
  return unknown('+', x, y);
}

export function sub(x: Value, y: Value): Value {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x - y;
    if (Number.isSafeInteger(r)) return r;
  }
  if (isFloatPair(x, y)) return new Float(fv(x) - fv(y));
  if (isInt(x) && isInt(y)) return I.sub(x, y);
  const f = floatOperands(x, y);
  if (f !== null) return new Float(f[0] - f[1]);
  if (x instanceof StarSet && y instanceof StarSet) return setDifference(x, y);
  return unknown('-', x, y);
}

/** Repeats a sequence n times, checking the limit before allocating. */
function repeat(thread: Thread, x: string | List | Tuple | Bytes, n: Value): Value {
  if (typeof n === 'bigint' && n > 0n) fail(`repeat count ${n} too large`);
  const count = Math.max(0, Number(n));
  if (count > 0x7fffffff) fail(`repeat count ${count} too large`);
  const len = typeof x === 'string' ? x.length : x instanceof Bytes ? x.data.length : x.elems.length;
  const total = len * count;
  const isText = typeof x === 'string' || x instanceof Bytes;
  const limit = isText ? thread.limits.maxStringLength : thread.limits.maxListLength;
  if (total > limit) {
    fail(`excessive repeat (${len} * ${count} elements): ${isText ? 'string' : 'list'} length limit is ${limit}`);
  }
  thread.step(total >> 4);
  if (typeof x === 'string') return x.repeat(count);
  if (x instanceof Bytes) {
    const out = new Uint8Array(total);
    for (let i = 0; i < count; i++) out.set(x.data, i * len);
    return new Bytes(out);
  }
  const out = new Array<Value>(total);
  for (let i = 0; i < total; i++) out[i] = x.elems[i % len]!;
  return x instanceof List ? new List(out) : new Tuple(out);
}

function isSeq(v: Value): v is string | List | Tuple | Bytes {
  return typeof v === 'string' || v instanceof List || v instanceof Tuple || v instanceof Bytes;
}

export function mul(x: Value, y: Value, thread: Thread): Value {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x * y + 0;
    if (Number.isSafeInteger(r)) return r;
  }
  if (isFloatPair(x, y)) return new Float(fv(x) * fv(y));
  if (isInt(x) && isInt(y)) return I.mul(x, y);
  if (isInt(y) && isSeq(x)) return repeat(thread, x, y);
  if (isInt(x) && isSeq(y)) return repeat(thread, y, x);
  const f = floatOperands(x, y);
  if (f !== null) return new Float(f[0] * f[1]);
  return unknown('*', x, y);
}

/** `/`: always a float result. */
export function div(x: Value, y: Value): Value {
  const a = num(x), b = num(y);
  if (a === null || b === null) return unknown('/', x, y);
  return new Float(F.div(a, b));
}

export function floorDiv(x: Value, y: Value): Value {
  if (isInt(x) && isInt(y)) return I.floorDiv(x, y);
  const f = floatOperands(x, y);
  if (f !== null) return new Float(F.floorDiv(f[0], f[1]));
  return unknown('//', x, y);
}

export function mod(x: Value, y: Value, thread: Thread): Value {
  if (typeof x === 'number' && typeof y === 'number' && y > 0 && x >= 0) return x % y;
  if (isInt(x) && isInt(y)) return I.mod(x, y);
  if (typeof x === 'string') return percentFormat(thread, x, y);
  const f = floatOperands(x, y);
  if (f !== null) return new Float(F.mod(f[0], f[1]));
  return unknown('%', x, y);
}

export function bitAnd(x: Value, y: Value): Value {
  if (isInt(x) && isInt(y)) return I.and(x, y);
  if (x instanceof StarSet && y instanceof StarSet) return setIntersection(x, y);
  return unknown('&', x, y);
}

export function bitOr(x: Value, y: Value, thread: Thread): Value {
  if (isInt(x) && isInt(y)) return I.or(x, y);
  if (x instanceof Dict && y instanceof Dict) return dictUnion(thread, x, y);
  if (x instanceof StarSet && y instanceof StarSet) return setUnion(thread, x, y);
  return unknown('|', x, y);
}

export function bitXor(x: Value, y: Value, thread: Thread): Value {
  if (isInt(x) && isInt(y)) return I.xor(x, y);
  if (x instanceof StarSet && y instanceof StarSet) return setSymmetricDifference(thread, x, y);
  return unknown('^', x, y);
}

export function shl(x: Value, y: Value): Value {
  if (isInt(x) && isInt(y)) return I.shl(x, y);
  return unknown('<<', x, y);
}

export function shr(x: Value, y: Value): Value {
  if (isInt(x) && isInt(y)) return I.shr(x, y);
  return unknown('>>', x, y);
}

/** `x in y`. Pass the thread so that long scans are charged as steps. */
export function contains(y: Value, x: Value, thread?: Thread): boolean {
  // An int is its own dict key (hashing.ts), and cannot be unhashable.
  if (y instanceof Dict && typeof x === 'number') return y.has(x);
  if (y instanceof List || y instanceof Tuple) {
    const e = y.elems;
    thread?.step(e.length >> 4);
    for (let i = 0; i < e.length; i++) if (e[i] === x || equals(e[i]!, x)) return true;
    return false;
  }
  if (y instanceof Dict || y instanceof StarSet) return hashedHas(y, x);
  if (typeof y === 'string') {
    if (typeof x !== 'string') fail(`'in <string>' requires string as left operand, not ${typeName(x)}`);
    thread?.step(y.length >> 6);
    return y.includes(x);
  }
  if (y instanceof Range) return rangeContains(y, x);
  if (y instanceof Bytes) return bytesContains(y, x);
  return fail(`unknown binary op: ${typeName(x)} in ${typeName(y)}`);
}

function rangeContains(r: Range, x: Value): boolean {
  let v: number;
  if (typeof x === 'number') v = x;
  else if (x instanceof Float && Number.isInteger(x.value)) v = x.value;
  else if (x instanceof Float || typeof x === 'bigint') return false;
  else return fail(`'in <range>' requires integer as left operand, not ${typeName(x)}`);
  const off = v - r.start;
  return r.len > 0 && off % r.step === 0 && off / r.step >= 0 && off / r.step < r.len;
}

function bytesContains(b: Bytes, x: Value): boolean {
  if (typeof x === 'number') {
    if (x < 0 || x > 255) fail(`int in bytes: ${x} out of range`);
    return b.data.includes(x);
  }
  if (!(x instanceof Bytes)) fail(`'in bytes' requires bytes or int as left operand, not ${typeName(x)}`);
  return Buffer.from(b.data.buffer, b.data.byteOffset, b.data.length).includes(Buffer.from(x.data));
}

/** A binary operator token (comparison operators are in compare.ts). */
export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '&' | '|' | '^' | '<<' | '>>' | 'in' | 'not in';

/** Generic dispatcher: prefer the per-operator functions in hot code. */
export function binary(op: BinaryOp, x: Value, y: Value, thread: Thread): Value {
  switch (op) {
    case '+': return add(x, y, thread);
    case '-': return sub(x, y);
    case '*': return mul(x, y, thread);
    case '/': return div(x, y);
    case '//': return floorDiv(x, y);
    case '%': return mod(x, y, thread);
    case '&': return bitAnd(x, y);
    case '|': return bitOr(x, y, thread);
    case '^': return bitXor(x, y, thread);
    case '<<': return shl(x, y);
    case '>>': return shr(x, y);
    case 'in': return contains(y, x, thread);
    case 'not in': return !contains(y, x, thread);
  }
}

/** A unary operator token. `not` is truth-based and handled by the compiler via truth(). */
export type UnaryOp = '-' | '+' | '~';

export function unary(op: UnaryOp, x: Value): Value {
  if (isInt(x)) return op === '-' ? I.neg(x) : op === '~' ? I.invert(x) : x;
  if (x instanceof Float && op !== '~') return op === '-' ? new Float(-x.value) : x;
  return fail(`unknown unary op: ${op}${typeName(x)}`);
}
