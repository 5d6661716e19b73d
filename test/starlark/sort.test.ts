import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runModule } from '../../src/starlark/index.ts';
import { order } from '../../src/starlark/values/compare.ts';
import { Builtin, Float, List, Tuple, type Value } from '../../src/starlark/values/value.ts';
import { builtin, f, throwsStar, tuple } from './helpers.ts';

/** The obvious stable sort: indices by the general order(), reversed comparisons for reverse. */
function reference(elems: Value[], keys: Value[], reverse: boolean): Value[] {
  const idx = elems.map((_e, i) => i);
  idx.sort((a, b) => (reverse ? -1 : 1) * order(keys[a]!, keys[b]!));
  return idx.map((i) => elems[i]!);
}

/** A deterministic pseudo-random sequence. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

test('sorted agrees with a stable general sort for uniform and mixed keys, with and without reverse', () => {
  const r = rng(7);
  const int = () => Math.floor(r() * 20) - 10;
  const word = () => ['', 'a', 'ab', 'b', 'ba', 'z\u00e9', '\ud83d\ude00'][Math.floor(r() * 7)]!;
  const makers: Array<() => Value> = [
    int, // few distinct int keys (counted), including negatives and ties
    () => Math.floor(r() * 2e6) - 1e6, // widely spread int32 keys (packed with their index)
    () => int() * 2 ** 40, // ints beyond int32
    () => (r() < 0.5 ? int() : f(int() / 2)), // ints and floats, equal across types (1 == 1.0)
    word, // grouped string keys
    () => tuple(int(), word(), int()), // tuples with int heads
    () => tuple(word(), int()), // tuples with string heads
    () => tuple(int()), // one-element tuples
    () => (r() < 0.5 ? tuple(word(), int()) : tuple(int(), word())), // mixed heads: only comparable within a type
  ];
  for (const [m, make] of makers.entries()) {
    for (const n of [0, 1, 2, 50, 500]) {
      // Distinct objects with equal keys show stability: the list elements are [key, serial] pairs.
      const elems = Array.from({ length: n }, (_v, i) => new Tuple([make(), i]));
      const keyOf = new Builtin('first', (_t, args) => (args[0] as Tuple).elems[0]!);
      for (const reverse of [false, true]) {
        const keys = elems.map((e) => e.elems[0]!);
        let want: Value[] | Error;
        try {
          want = reference(elems, keys, reverse);
        } catch (e) {
          want = e as Error;
        }
        const run = () => (builtin('sorted', [new List(elems)], [['key', keyOf], ['reverse', reverse]]) as List).elems;
        // Which incomparable pair is reported depends on the order of comparisons.
        if (want instanceof Error) throwsStar(run, /^(int < string|string < int) not implemented$/);
        else assert.deepEqual(run(), want, `maker ${m}, n=${n}, reverse=${reverse}`);
      }
    }
  }
});

test('sorted errors are those of the comparison, also inside tuples', () => {
  throwsStar(() => builtin('sorted', [new List([tuple(1, 'a'), tuple(1, 2)])]), /string < int not implemented|int < string not implemented/);
  throwsStar(() => builtin('sorted', [new List([1, 'a'])]), /not implemented/);
  throwsStar(() => builtin('sorted', [1]), /sorted: for parameter iterable: got int, want iterable/);
});

test('key functions are called once per element, through the compiled entry', () => {
  const out: string[] = [];
  runModule(`
calls = []
def key(x):
    calls.append(x)
    return -x
print(sorted([3, 1, 2], key=key), sorted([3, 1, 2], key=lambda x, d=1: x * d), len(calls))
print(min([3, 1, 2], key=key), max(["a", "ccc", "bb"], key=len))
`, { print: (l) => out.push(l) });
  assert.deepEqual(out, ['[3, 2, 1] [1, 2, 3] 3', '3 ccc']);
});

test('tuple and list ordering: ints and strings inline, identical containers still compared (cycles fail)', () => {
  const out: string[] = [];
  runModule(`
a = [1]
a.append(a)
print((1, "x") < (1, "y"), (1, 2) < (1, 2), (1, 2) <= (1, 2), [1, "a"] < [1, "b"], (2,) > (1, 5), ("b",) > ("a", 1))
`, { print: (l) => out.push(l) });
  assert.deepEqual(out, ['True False True True True True']);
  assert.throws(() => runModule('a = [1]\na.append(a)\nx = (a,) < (a,)\n'), /comparison exceeded maximum recursion depth/);
});

test('sorted without a key: native int and string paths agree with the general order; floats keep ties stable', () => {
  const r = rng(11);
  const tag = (v: Value) => (v instanceof Float ? `${v.value}f` : String(v));
  const lists: Value[][] = [
    [2 ** 31, -(2 ** 31) - 1, 5, -5, 2 ** 40, 0, -0, 2 ** 53 - 1], // beyond int32: the Float64Array path
    Array.from({ length: 300 }, () => Math.floor(r() * 100) - 50), // int32
    ['b', 'a', '\ud83d\ude00', '\uffff', '\u00e9', '', 'a'], // code unit order
    [3, f(1.5), 1, f(1), -2, f(0), 0, f(-0.5)], // mixed numbers: the general comparator
  ];
  for (const elems of lists) {
    for (const reverse of [false, true]) {
      const got = (builtin('sorted', [new List(elems)], [['reverse', reverse]]) as List).elems;
      assert.deepEqual(got.map(tag), reference(elems, elems, reverse).map(tag), `${elems.map(tag)} reverse=${reverse}`);
    }
  }
  // Equal int and float keys keep their order (1 before 1.0 and 1.0 before 1), also reversed.
  const mixed = new List([f(1), 1, 0, f(0), 1]);
  assert.deepEqual((builtin('sorted', [mixed]) as List).elems.map(tag), ['0', '0f', '1f', '1', '1']);
  assert.deepEqual((builtin('sorted', [mixed], [['reverse', true]]) as List).elems.map(tag), ['1f', '1', '1', '0', '0f']);
});
