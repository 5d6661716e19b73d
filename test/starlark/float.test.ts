import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runModule } from '../../src/starlark/index.ts';
import { formatE, formatF, formatFloat, parseFloat } from '../../src/starlark/values/float.ts';
import { add, compare, div, equals, floorDiv, mod, mul, str } from '../../src/starlark/values/ops.ts';
import { builtin, eqRepr, f, list, thread, throwsStar } from './helpers.ts';

const t = thread();

test('str(float) uses the shortest round-trip digits in %g style', () => {
  const rows: Array<[number, string]> = [
    [0, '0.0'], [-0, '-0.0'], [123, '123.0'], [1.1, '1.1'], [1e5, '100000.0'], [1e6, '1e+06'], [1.23e45, '1.23e+45'],
    [-1.23e-45, '-1.23e-45'], [1e-4, '0.0001'], [1e-5, '1e-05'], [100 / 7, '14.285714285714286'], [Infinity, '+inf'],
    [-Infinity, '-inf'], [NaN, 'nan'], [5.60012e7, '5.60012e+07'], [123456.5, '123456.5'],
  ];
  for (const [v, want] of rows) assert.equal(formatFloat(v), want, String(v));
});

test('%e and %f formatting', () => {
  assert.equal(formatE(0), '0.000000e+00');
  assert.equal(formatE(123), '1.230000e+02');
  assert.equal(formatE(-0), '-0.000000e+00');
  assert.equal(formatF(1.23e45), '1229999999999999973814869011019624571608236032.000000');
  assert.equal(formatF(-1.23e-45), '-0.000000');
});

test('float() parses literals and special values', () => {
  assert.equal(parseFloat('+InFiniTy'), Infinity);
  assert.ok(Number.isNaN(parseFloat('-nan')));
  assert.equal(parseFloat('.5'), 0.5);
  throwsStar(() => parseFloat('1.2.3'), /invalid float literal: 1.2.3/);
  throwsStar(() => parseFloat('1e1000'), /floating-point number too large/);
  eqRepr(builtin('float', [builtin('int', ['123000000000000000000000000000000'])]), '1.23e+32');
  throwsStar(() => builtin('float', [null]), /want number or string/);
});

test('mixed int/float arithmetic and division', () => {
  eqRepr(add(f(1.2e3), 1, t), '1201.0');
  eqRepr(div(5, 4), '1.25');
  eqRepr(floorDiv(f(100), f(-7)), '-15.0');
  eqRepr(mod(f(-100), 7, t), '5.0');
  eqRepr(floorDiv(1, f(-Infinity)), '-0.0');
  eqRepr(mul(f(1.5e6), 123, t), '1.845e+08');
  throwsStar(() => div(1, f(0)), /floating-point division by zero/);
  throwsStar(() => floorDiv(f(1), 0), /floored division by zero/);
  throwsStar(() => mod(1, f(0), t), /floating-point modulo by zero/);
  throwsStar(() => add(builtin('int', ['1' + '0'.repeat(400)]), f(0), t), /int too large to convert to float/);
});

test('int/float comparisons are exact and NaN is ordered last', () => {
  eqRepr(builtin('sorted', [list(f(Infinity), f(NaN), 1, f(-1), 0, f(-Infinity))]), '[-inf, -1.0, 0, 1, +inf, nan]');
  const big = builtin('int', ['1229999999999999973814869011019624571608236032']);
  assert.ok(equals(f(1.23e45), big));
  assert.ok(!equals(f(1.23e45), add(big, 1, t)));
  assert.ok(equals(f(NaN), f(NaN)));
  assert.ok(compare('<', f(1e300), f(NaN)));
  assert.ok(!equals(true, f(1)));
  const nums = builtin('list', [builtin('tuple', [])]);
  assert.equal(str(nums), '[]');
});

test('%e and %f round exact ties half to even (like C and Go, unlike toFixed)', () => {
  assert.equal(formatF(2.5, 0), '2');
  assert.equal(formatF(0.125, 2), '0.12');
  assert.equal(formatF(0.375, 2), '0.38');
  assert.equal(formatF(6357169011967.0703125), '6357169011967.070312');
  assert.equal(formatE(125, 1), '1.2e+02');
  assert.equal(formatE(135, 1), '1.4e+02');
});

test('compiled float arithmetic and comparisons (inline and runtime paths) agree with the runtime', () => {
  const out: string[] = [];
  runModule(`
def f(a, b):
    return [a + b, a - b, a * b, a < b, a <= b, a > b, a >= b, a == b, 2.0 * a * b + 1.0]
nan = float("nan")
inf = float("inf")
for a, b in [(1.5, 2.25), (0.0, -0.0), (-0.0, -0.0), (3, 0.5), (0.5, 3), (nan, 1.0), (1.0, nan), (nan, nan), (inf, -inf), (1e308, 1e308), (9007199254740993, 1.0)]:
    print(f(a, b))
`, { options: { allowToplevelControl: true }, print: (l) => out.push(l) });
  // The same lines as before floats had inline paths.
  assert.deepEqual(out, [
    '[3.75, -0.75, 3.375, True, True, False, False, False, 7.75]',
    '[0.0, 0.0, -0.0, False, True, False, True, True, 1.0]',
    '[-0.0, 0.0, 0.0, False, True, False, True, True, 1.0]',
    '[3.5, 2.5, 1.5, False, False, True, True, False, 4.0]',
    '[3.5, -2.5, 1.5, True, True, False, False, False, 4.0]',
    '[nan, nan, nan, False, False, True, True, False, nan]',
    '[nan, nan, nan, True, True, False, False, False, nan]',
    '[nan, nan, nan, False, True, False, True, True, nan]',
    '[nan, +inf, -inf, False, False, True, True, False, -inf]',
    '[+inf, 0.0, +inf, False, True, False, True, True, +inf]',
    '[9.007199254740992e+15, 9.007199254740991e+15, 9.007199254740992e+15, False, False, True, True, False, 1.8014398509481984e+16]',
  ]);
});

test('compiled division: ints and floats inline, the runtime for mixes, big ints and zero divisors', () => {
  const out: string[] = [];
  runModule(`
def f(a, b):
    return a / b
for a, b in [(7, 2), (0, -1), (1, 3), (7.5, 2.5), (-0.0, 1.0), (9007199254740993, 2), (1e308, 1e-10), (3, 0.5), (0.5, 4)]:
    print(f(a, b))
`, { options: { allowToplevelControl: true }, print: (l) => out.push(l) });
  // The same as before division was inlined.
  assert.deepEqual(out, ['3.5', '-0.0', '0.3333333333333333', '3.0', '-0.0', '4.503599627370496e+15', '+inf', '6.0', '0.125']);
  for (const src of ['x = 1 / 0', 'x = 1.0 / 0.0', 'def f(a, b):\n  return a / b\nx = f(1, 0)', 'def f(a, b):\n  return a / b\nx = f(1.0, 0.0)']) {
    assert.throws(() => runModule(src), /floating-point division by zero/);
  }
});
