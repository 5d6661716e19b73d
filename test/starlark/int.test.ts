import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as I from '../../src/starlark/values/int.ts';
import { add, floorDiv, mod, mul, shl, shr, sub, unary } from '../../src/starlark/values/ops.ts';
import type { Value } from '../../src/starlark/values/value.ts';
import { builtin, eqRepr, thread, throwsStar } from './helpers.ts';

const t = thread();
const big = (s: string) => I.parseInt(s, 10)!;

test('int results are normalised: safe values are numbers, others bigints', () => {
  assert.equal(add(2 ** 52, 2 ** 52, t), 2n ** 53n);
  assert.equal(sub(add(2 ** 52, 2 ** 52, t), 10), 2 ** 53 - 10);
  assert.equal(mul(-5, 0, t), 0);
  assert.ok(Object.is(mul(-5, 0, t), 0), '-0 never escapes');
  eqRepr(mul(1111111111111111, 1111111111111111, t), '1234567901234567654320987654321');
  eqRepr(mul(big('-9223372036854775808'), big('-9223372036854775808'), t), '85070591730234615865843651857942052864');
  assert.equal(I.norm(5n), 5);
});

test('floored division and modulo follow Python', () => {
  const m = 2147483647;
  for (const k of [1, m]) {
    const rows: Array<[number, number, number, number]> = [
      [100, 7, 14, 2], [100, -7, -15, -5], [-100, 7, -15, 5], [-100, -7, 14, -2], [98, -7, -14, 0],
    ];
    for (const [x, y, q, r] of rows) {
      assert.equal(Number(floorDiv(x * k, y * k)), q, `${x * k} // ${y * k}`);
      assert.equal(Number(mod(x * k, y * k, t)), r * k, `${x * k} % ${y * k}`);
    }
  }
  eqRepr(floorDiv(-2147483648, -1), '2147483648');
  throwsStar(() => floorDiv(1, 0), /integer division by zero/);
  throwsStar(() => mod(1, 0, t), /integer modulo by zero/);
});

test('bitwise operators and shifts', () => {
  eqRepr(builtin('int', ['-2147483648']), '-2147483648');
  assert.equal(unary('~', 1), -2);
  assert.equal(unary('-', 0), 0);
  assert.equal(shl(1, 2), 4);
  assert.equal(shr(-5, 1), -3);
  eqRepr(shl(1, 64), '18446744073709551616');
  eqRepr(shr(shl(1, 64), 63), '2');
  throwsStar(() => shl(2, -1), /negative shift count/);
  throwsStar(() => shl(1, 512), /shift count too large/);
});

test('int() parsing with bases and prefixes', () => {
  const ok: Array<[string, number, string]> = [
    ['0', 10, '0'], ['-0', 8, '0'], ['+00', 8, '0'], ['11', 9, '10'], ['0o123', 8, '83'], ['0x12', 16, '18'],
    ['0b0101', 0, '5'], ['0b0', 16, '176'], ['-0x12', 0, '-18'], ['123', 0, '123'],
    ['100000000000000000000', 10, '100000000000000000000'], ['zz', 36, '1295'],
    // Around the plain-decimal fast path (up to 15 digits, no sign).
    ['007', 10, '7'], ['999999999999999', 10, '999999999999999'], ['9999999999999999', 10, '9999999999999999'],
    ['-12', 10, '-12'], ['+12', 10, '12'], ['9007199254740993', 10, '9007199254740993'],
  ];
  for (const [s, base, want] of ok) eqRepr(builtin('int', [s, base]), want, `int(${s}, ${base})`);
  const bad: Array<[string, number]> = [['0x12', 10], ['0123', 0], ['--4', 10], ['0x-4', 16], ['0Oxa', 8], ['', 10], ['1_0', 10], [' 1', 10], ['1 ', 10], ['12a', 10], ['1/', 10], [':', 10]];
  for (const [s, base] of bad) throwsStar(() => builtin('int', [s, base]), /invalid literal with base/);
  throwsStar(() => builtin('int', [3, 10]), /non-string with explicit base/);
  throwsStar(() => builtin('int', []), /missing argument/);
});

test('ints are capped in size so one operation cannot run away', () => {
  let x: Value = 3;
  throwsStar(() => {
    for (;;) x = mul(x, x, t);
  }, /int too large \(exceeds 65536 bits\)/);
  let y: Value = -3;
  throwsStar(() => {
    for (;;) y = mul(y, 3 ** 30, t);
  }, /int too large \(exceeds 65536 bits\)/);
  assert.ok(typeof y === 'bigint' && y < 0n && y > -(1n << 65536n), 'the last negative product within the cap is kept');
  throwsStar(() => builtin('int', ['9'.repeat(70000)]), /int literal too long/);
  eqRepr(builtin('len', [builtin('str', [shl(1, 500)])]), '151');
});
