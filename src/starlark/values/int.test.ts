/**
 * The bigint paths of int.ts at their edges: `norm` tests big values first,
 * numbers become bigints through an int32 fast path, shift counts come from
 * a table, and floored division tests exactness with a multiplication.
 * Expected values are CPython 3.11's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { StarlarkError } from "./errors.ts";
import * as I from "./int.ts";

function fails(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof StarlarkError && re.test(e.msg));
}

test("norm: exactly the safe integers become numbers, and the size cap holds on both sides", () => {
  const max = Number.MAX_SAFE_INTEGER;
  for (const v of [0, 1, -1, max, -max]) assert.equal(I.norm(BigInt(v)), v);
  assert.equal(I.norm(BigInt(max) + 1n), 9007199254740992n);
  assert.equal(I.norm(-BigInt(max) - 1n), -9007199254740992n);
  assert.equal(I.add(I.sub(2n ** 70n, 2n ** 70n), max), max);
  const limit = 1n << BigInt(I.MAX_INT_BITS);
  assert.equal(I.norm(limit - 1n), limit - 1n);
  fails(() => I.norm(limit), /int too large/);
  fails(() => I.norm(-limit), /int too large/);
  fails(() => I.mul(limit >> 1n, 2), /int too large/);
});

test("mixed number and bigint operands, in and beyond the int32 range", () => {
  assert.equal(I.mul(2 ** 40, 2n ** 70n + 1n), 1298074214633706907133723593932800n);
  assert.equal(I.mul(-(2 ** 40) - 3, 2n ** 70n), -1298074214637248681994776316215296n);
  assert.equal(I.floorDiv(2n ** 70n, -(2 ** 40) - 1), -1073741824);
  assert.equal(I.mod(2n ** 70n, -(2 ** 40) - 1), -1073741824);
  assert.equal(I.add(2n ** 53n, -1), Number.MAX_SAFE_INTEGER);
  assert.equal(I.sub(-(2 ** 31), 2n ** 53n), -9007201402224640n);
  assert.equal(I.and(2n ** 64n + 5n, -(2 ** 31) + 7), 2n ** 64n + 5n);
});

test("floored division of big ints: exact and inexact, every sign combination", () => {
  assert.equal(I.floorDiv(-(2n ** 70n), 2 ** 35), -34359738368);
  assert.equal(I.floorDiv(-(2n ** 70n) - 1n, 2 ** 35), -34359738369);
  assert.equal(I.floorDiv(2n ** 70n, -(2 ** 35)), -34359738368);
  assert.equal(I.floorDiv(2n ** 70n + 1n, -(2 ** 35)), -34359738369);
  assert.equal(I.floorDiv(-(2n ** 70n) - 1n, -(2 ** 35)), 34359738368);
  assert.equal(I.floorDiv(2n ** 70n + 1n, 2 ** 35), 34359738368);
  fails(() => I.floorDiv(2n ** 70n, 0), /integer division by zero/);
  fails(() => I.mod(2n ** 70n, 0), /integer modulo by zero/);
});

test("shifts of big ints at the ends of the count table", () => {
  const x = 3n ** 50n;
  assert.equal(I.shr(x, 0), 717897987691852588770249n);
  assert.equal(I.shr(x, 63), 77834);
  assert.equal(I.shr(x, 511), 0);
  assert.equal(I.shr(-x, 79), -2);
  assert.equal(I.shr(-x, 80), -1);
  assert.equal(I.shr(I.shl(5, 511), 509), 20);
  fails(() => I.shl(x, 512), /shift count too large/);
  fails(() => I.shr(x, -1), /negative shift count/);
  fails(() => I.shl(1, 2n ** 64n), /shift count too large/);
});
