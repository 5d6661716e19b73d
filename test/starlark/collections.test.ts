import assert from 'node:assert/strict';
import { test } from 'node:test';
import { methodCaller } from '../../src/starlark/builtins/attrs.ts';
import {
  augmented, bitOr, compare, contains, dictSet, equals, freeze, getIndex, hash, iterate, setIndex, slice, sub,
} from '../../src/starlark/values/ops.ts';
import { Dict, List, StarSet, type Value } from '../../src/starlark/values/value.ts';
import { builtin, eqRepr, f, list, method, thread, throwsStar, tuple } from './helpers.ts';

const t = thread();
const dict = (...kv: Array<[Value, Value]>): Dict => {
  const d = new Dict();
  for (const [k, v] of kv) dictSet(t, d, k, v);
  return d;
};

test('list methods', () => {
  const x = list(1, 2, 3, 4, 5);
  throwsStar(() => method(x, 'pop', [-6]), /index -6 out of range \[-5:4\]/);
  assert.equal(method(x, 'pop'), 5);
  assert.equal(method(x, 'pop', [1]), 2);
  for (const [i, want] of [[-99, '[42, 0, 1, 2]'], [-1, '[0, 1, 42, 2]'], [4, '[0, 1, 2, 42]']] as const) {
    const l = list(0, 1, 2);
    method(l, 'insert', [i, 42]);
    eqRepr(l, want);
  }
  const b = list('b', 'a', 'n', 'a', 'n', 'a', 's');
  assert.equal(method(b, 'index', ['a', 2]), 3);
  throwsStar(() => method(b, 'index', ['b', 1]), /value not in list/);
  throwsStar(() => method(list(3, 1), 'remove', [42]), /remove: element not found/);
  const l = list(1);
  method(l, 'extend', [l]);
  eqRepr(l, '[1, 1]');
  throwsStar(() => method(list(), 'extend', ['bc']), /got string, want iterable/);
});

test('frozen values and mutation during iteration fail', () => {
  const l = list(1, 2);
  freeze(l);
  throwsStar(() => method(l, 'append', [3]), /cannot append to frozen list/);
  throwsStar(() => setIndex(t, l, 0, 9), /cannot assign to element of frozen list/);
  throwsStar(() => augmented('+', l, list(3), t), /cannot apply \+= to frozen list/);
  const m = list(1, 2);
  const it = iterate(t, m);
  throwsStar(() => method(m, 'append', [3]), /append.*during iteration/);
  it.done();
  method(m, 'append', [3]);
  const d = dict(['a', 1]);
  const dit = iterate(t, d);
  throwsStar(() => dictSet(t, d, 'b', 2), /insert.*during iteration/);
  dit.done();
  freeze(d);
  throwsStar(() => dictSet(t, d, 'a', 3), /cannot insert into frozen hash table/);
  throwsStar(() => method(d, 'clear'), /cannot clear frozen hash table/);
});

test('dict keys: equal ints and floats collide, tuples hash structurally, lists are unhashable', () => {
  const d = dict([f(123), 'x'], [123, 'y'], [tuple(1, 'a'), 't']);
  assert.ok(method(d, 'keys') instanceof List);
  eqRepr(d, '{123.0: "y", (1, "a"): "t"}');
  assert.equal(getIndex(d, tuple(f(1), 'a')), 't');
  throwsStar(() => getIndex(d, 'zz'), /key "zz" not in dict/);
  throwsStar(() => dictSet(t, d, list(), 1), /unhashable type: list/);
  throwsStar(() => dictSet(t, new Dict(), builtin('range', [3]), 1), /unhashable: range/);
  assert.equal(contains(d, list()), false);
  eqRepr(dict(['\u0000x', 1], ['x', 2], ['\uffffx', 3]), '{"\\x00x": 1, "x": 2, "\\uffffx": 3}');
  const nan = dict([f(NaN), 1], [f(NaN), 2]);
  eqRepr(nan, '{nan: 2}');
});

test('dict methods', () => {
  const x = dict(['a', 1], ['b', 2]);
  assert.equal(method(x, 'pop', ['a']), 1);
  throwsStar(() => method(x, 'pop', ['c']), /pop: missing key/);
  assert.equal(method(x, 'pop', ['c', null]), null);
  eqRepr(method(dict(['a', 1], ['b', 2]), 'popitem'), '("a", 1)');
  throwsStar(() => method(new Dict(), 'popitem'), /empty dict/);
  assert.equal(method(x, 'setdefault', ['z', 5]), 5);
  eqRepr(method(x, 'items'), '[("b", 2), ("z", 5)]');
  eqRepr(builtin('dict', [list(tuple('a', 0), tuple('b', 1), tuple('a', 2))]), '{"a": 2, "b": 1}');
  throwsStar(() => builtin('dict', [null]), /got NoneType, want iterable/);
  eqRepr(bitOr(dict(['a', 1]), dict(['a', 2], ['b', 3]), t), '{"a": 2, "b": 3}');
  throwsStar(() => bitOr(new Dict(), list(), t), /unknown binary op: dict \| list/);
  throwsStar(() => method(x, 'get', [1, 2, 3]), /get: got 3 arguments, want at most 2/);
  assert.ok(equals(dict(['a', 1], ['b', 2]), dict(['b', 2], ['a', 1])));
});

test('sets', () => {
  const x = builtin('set', [list(1, 2, 3)]) as StarSet;
  const y = builtin('set', [list(3, 4, 5)]) as StarSet;
  eqRepr(method(x, 'union', [y, list(6)]), 'set([1, 2, 3, 4, 5, 6])');
  eqRepr(method(x, 'intersection', [y]), 'set([3])');
  eqRepr(sub(x, y), 'set([1, 2])');
  eqRepr(method(x, 'symmetric_difference', [y]), 'set([1, 2, 4, 5])');
  assert.equal(method(builtin('set', [list(1)]), 'issubset', [x]), true);
  throwsStar(() => method(x, 'union', [1]), /argument #1 is not iterable: int/);
  throwsStar(() => method(x, 'add', [list(5)]), /add: unhashable type: list/);
  throwsStar(() => method(new StarSet(), 'pop'), /pop: empty set/);
  assert.ok(builtin('dir', [x]) instanceof List);
});

test('ranges, slices and tuples', () => {
  eqRepr(builtin('list', [builtin('range', [10, 2, -3])]), '[10, 7, 4]');
  eqRepr(slice(builtin('range', [10]), null, null, -2), 'range(9, -1, -2)');
  assert.ok(equals(builtin('range', [0, 3, 2]), builtin('range', [0, 4, 2])));
  assert.equal(contains(builtin('range', [3]), f(2)), true);
  throwsStar(() => contains(builtin('range', [3]), true), /requires integer.*not bool/);
  throwsStar(() => builtin('range', [builtin('int', ['18446744073709551616'])]), /out of range .want value in signed ..-bit range/);
  throwsStar(() => getIndex(slice(builtin('range', [0, 0, 2]), null, null, null), 0), /index 0 out of range: empty range/);
  eqRepr(slice(tuple(1, 2, 3), 1, null, null), '(2, 3)');
  eqRepr(tuple(1), '(1,)');
  assert.ok(compare('<', tuple(1, 2), tuple(1, 3)));
  throwsStar(() => compare('<', list(1), tuple(1)), /list < tuple not implemented/);
  throwsStar(() => augmented('*', tuple(1, 2, 3), 1000000 * 1000000, t), /repeat count 1000000000000 too large/);
});

test('builtins over sequences', () => {
  const len = builtin('getattr', [builtin('dict', []), 'get']);
  eqRepr(builtin('sorted', [list(3, 1, 2)], [['reverse', true]]), '[3, 2, 1]');
  eqRepr(builtin('sorted', [list(f(NaN), 1, 9)], [['reverse', true]]), '[nan, 9, 1]');
  throwsStar(() => builtin('sorted', [list(1, 2, null, 3)]), /int < NoneType not implemented/);
  throwsStar(() => builtin('sorted', [list(1, 'one')]), /string < int not implemented/);
  throwsStar(() => builtin('sorted', [list()], [['key', null]]), /got NoneType, want callable/);
  throwsStar(() => builtin('sorted', [1]), /sorted: for parameter iterable: got int, want iterable/);
  eqRepr(builtin('min', [list(5, -2, 1)]), '-2');
  eqRepr(builtin('max', ['one', 'two', 'three']), '"two"');
  throwsStar(() => builtin('min', []), /min requires at least one positional argument/);
  throwsStar(() => builtin('min', [list()]), /empty/);
  eqRepr(builtin('enumerate', [list('a', 'b'), 42]), '[(42, "a"), (43, "b")]');
  eqRepr(builtin('zip', [list(1, 2, 3), tuple('a', 'b')]), '[(1, "a"), (2, "b")]');
  throwsStar(() => builtin('zip', [list(), 1]), /zip: argument #2 is not iterable: int/);
  eqRepr(builtin('reversed', [list(1, 2, 3)]), '[3, 2, 1]');
  assert.equal(builtin('all', [list(1, '')]), false);
  throwsStar(() => builtin('any', ['abc']), /got string, want iterable/);
  throwsStar(() => builtin('len', [1]), /int.*has no len/);
  eqRepr(builtin('abs', [f(-2)]), '2.0');
  throwsStar(() => builtin('fail', [1, 2], [['sep', '/']]), /^fail: 1\/2$/);
  eqRepr(builtin('bytes', [list(65, 66)]), 'b"AB"');
  throwsStar(() => builtin('bytes', [list(300)]), /at index 0, 300 out of range .want value in unsigned 8-bit range/);
  eqRepr(builtin('repr', [builtin('bytes', ['hello, 世界'])]), '"b\\"hello, 世界\\""');
  eqRepr(builtin('hash', [builtin('bytes', ['a'])]), String(0xe40c292c));
  eqRepr(len, '<built-in method get of dict value>');
});

test('hash() of any hashable value agrees with equality', () => {
  assert.equal(hash(1), hash(f(1)));
  assert.equal(hash(tuple(1, 'a')), hash(tuple(f(1), 'a')));
  assert.equal(hash('hello'), 99162322);
  throwsStar(() => hash(list()), /unhashable type: list/);
});

test('methodCaller behaves like callMethod for builtin and other receivers', () => {
  const append = methodCaller('append');
  const l = list();
  append(t, l, [1], null);
  eqRepr(l, '[1]');
  const upper = methodCaller('upper');
  assert.equal(upper(t, 'ab', [], null), 'AB');
  throwsStar(() => append(t, 'str', [1], null), /string has no \.append field or method/);
  throwsStar(() => append(t, l, [], null), /append: got 0 arguments, want 1/);
});

test('sorted fast paths for ints and strings match the general sort', () => {
  eqRepr(builtin('sorted', [list(3, -1, 2, 9007199254740991, 0)]), '[-1, 0, 2, 3, 9007199254740991]');
  eqRepr(builtin('sorted', [list('b', 'a', 'B', '')], [['reverse', true]]), '["b", "a", "B", ""]');
  eqRepr(builtin('sorted', [list(2, f(1.5), 1)]), '[1, 1.5, 2]');
});

test('out-of-range big-int indexes are reported as written; slices clamp them', () => {
  const big = builtin('int', ['100000000000000000000']);
  throwsStar(() => getIndex(list(1, 2), big), /list index 100000000000000000000 out of range \[-2:1\]/);
  eqRepr(slice(list(1, 2), big, null, null), '[]');
});

test('the first of two equal keys is kept (dicts and sets), deletion forgets it', () => {
  const d = dict([f(1), 'a'], [1, 'b'], [tuple(f(2)), 'c'], [tuple(2), 'd']);
  eqRepr(d, '{1.0: "b", (2.0,): "d"}');
  method(d, 'pop', [1]);
  dictSet(t, d, 1, 'e');
  eqRepr(d, '{(2.0,): "d", 1: "e"}');
  const s = builtin('set', [list(f(1), 1, 'x', '\u0000y')]) as StarSet;
  eqRepr(s, 'set([1.0, "x", "\\x00y"])');
  eqRepr(method(s, 'union', [list(1, 2)]), 'set([1.0, "x", "\\x00y", 2])');
  eqRepr(builtin('list', [d]), '[(2.0,), 1]');
  eqRepr(method(d, 'items'), '[((2.0,), "d"), (1, "e")]');
  eqRepr(method(d, 'popitem'), '((2.0,), "d")');
  eqRepr(d, '{1: "e"}');
});

test('list insert/pop/remove at every position agree with splice (short and long moves)', () => {
  for (const n of [0, 1, 2, 5, 300, 700]) {
    for (const i of [0, 1, Math.floor(n / 2), n - 2, n - 1, n]) {
      if (i < 0 || i > n) continue;
      const ref = Array.from({ length: n }, (_v, k) => k);
      const l = list(...ref);
      method(l, 'insert', [i, 'x']);
      ref.splice(i, 0, 'x' as never);
      assert.deepEqual(l.elems, ref, `insert(${i}) into ${n}`);
      if (i < ref.length) {
        assert.equal(method(l, 'pop', [i]), ref.splice(i, 1)[0]);
        assert.deepEqual(l.elems, ref, `pop(${i}) of ${n + 1}`);
      }
      if (n > 0) {
        const victim = ref[Math.min(i, ref.length - 1)]!;
        method(l, 'remove', [victim]);
        ref.splice(ref.indexOf(victim), 1);
        assert.deepEqual(l.elems, ref, `remove(${victim})`);
      }
    }
  }
});
