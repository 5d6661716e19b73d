import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runModule } from '../../src/starlark/index.ts';
import { dictEntries, dictKeys, dictOfStrings, dictSet, repr } from '../../src/starlark/values/ops.ts';
import { Dict, Float, List, Tuple, type Value } from '../../src/starlark/values/value.ts';
import { builtin, eqRepr, method, thread, throwsStar } from './helpers.ts';

const t = thread();

test('dicts keep insertion order, updates and deletions across the small-to-Map switch', () => {
  for (const n of [0, 1, 7, 8, 9, 17, 100]) {
    const d = new Dict();
    const want: number[] = [];
    for (let i = 0; i < n; i++) {
      dictSet(t, d, (i * 7919) % 101, i);
      want.push((i * 7919) % 101);
    }
    for (let i = 0; i < n; i += 3) dictSet(t, d, want[i]!, -i); // updates keep the position
    assert.deepEqual(dictKeys(d), want, `n=${n}`);
    for (let i = 0; i < n; i += 2) method(d, 'pop', [want[i]!]);
    const left = want.filter((_k, i) => i % 2 === 1);
    assert.deepEqual(dictKeys(d), left, `n=${n} after pops`);
    assert.equal(builtin('len', [d]), left.length);
    for (const k of left) dictSet(t, d, k, 0); // re-setting present keys adds nothing
    dictSet(t, d, 'new', 1);
    assert.deepEqual(dictKeys(d), [...left, 'new']);
    if (left.length > 0) eqRepr(method(d, 'popitem'), `(${left[0]}, 0)`);
    method(d, 'clear');
    eqRepr(d, '{}');
  }
});

test('equal keys are one entry in either layout; NaN finds itself; the first key is kept', () => {
  for (const pad of [0, 20]) {
    const d = new Dict();
    for (let i = 0; i < pad; i++) dictSet(t, d, `k${i}`, i);
    dictSet(t, d, new Float(1), 'a');
    dictSet(t, d, 1, 'b');
    dictSet(t, d, true, 'c');
    dictSet(t, d, new Float(NaN), 'n');
    dictSet(t, d, new Float(NaN), 'm');
    const tail = dictKeys(d).slice(pad).map((k) => repr(k));
    assert.deepEqual(tail, ['1.0', 'True', 'nan']);
    eqRepr(method(d, 'get', [1]), '"b"');
    eqRepr(method(d, 'get', [new Float(NaN)]), '"m"');
    throwsStar(() => dictSet(t, d, new List([]), 1), /unhashable type: list/);
  }
});

test('random inserts, updates and deletes agree with a JS Map (order included)', () => {
  let seed = 12345;
  const rand = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  // Keys all strings (the string index), or mixed (strings first, then a Map index).
  for (const [range, mixed] of [[5, true], [12, true], [60, true], [3000, true], [12, false], [3000, false]] as const) {
    const d = new Dict();
    const model = new Map<Value, Value>();
    const key = (i: number): Value => (!mixed || i % 3 === 0 ? `s${i}` : i % 3 === 1 ? i : new Float(i + 0.5));
    const norm = (k: Value): Value => (k instanceof Float ? k.value : k);
    for (let step = 0; step < 20000; step++) {
      const k = key(rand(range));
      if (rand(3) === 0) {
        method(d, 'pop', [k, null]);
        model.delete(norm(k));
      } else {
        dictSet(t, d, k, step);
        model.set(norm(k), step);
      }
      if (step % 997 === 0 || step === 19999) {
        assert.deepEqual(dictEntries(d).map(([k2, v]) => [norm(k2), v]), [...model], `range ${range} mixed ${mixed} step ${step}`);
      }
    }
    while (model.size > 0) {
      const [k, v] = model.entries().next().value!;
      model.delete(k);
      const item = method(d, 'popitem') as Tuple;
      assert.deepEqual([norm(item.elems[0]!), item.elems[1]], [k, v]);
    }
    eqRepr(d, '{}');
  }
});

test('dictOfStrings adopts a flat array of distinct string keys; escaped keys and large literals still work', () => {
  eqRepr(dictOfStrings(t, ['b', 1, 'a', 2]), '{"b": 1, "a": 2}');
  const d = dictOfStrings(t, ['x', 1, '\u0000y', 2, '\uffffz', 3]);
  eqRepr(method(d, 'get', ['\u0000y']), '2');
  eqRepr(method(d, 'get', ['\uffffz']), '3');
  const big = dictOfStrings(t, Array.from({ length: 40 }, (_v, i) => (i % 2 === 0 ? `k${i}` : i)));
  assert.equal(builtin('len', [big]), 20);
  eqRepr(method(big, 'get', ['k38']), '39');
  throwsStar(() => dictOfStrings(thread({ limits: { maxDictSize: 1 } }), ['a', 1, 'b', 2]), /dict size 2 exceeds limit of 1/);
});

test('dict literals of one site share their key index until a dict changes its keys (copy on write)', () => {
  const out: string[] = [];
  runModule(`
def rec(i):
    return {"a": i, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9, "j": 10}
def main():
    r1, r2, r3 = rec(1), rec(2), rec(3)
    r1["a"] = 100          # a value: the index is untouched
    r2["zz"] = 1           # a new key: r2 copies the index first
    r3.pop("c")            # a deletion: likewise
    c = dict(r1)           # a copy shares r1's index
    c["new"] = 0
    r1.pop("j")
    print(r1["a"], r2["a"], r3["a"], r2["zz"], "zz" in r1, "zz" in r3, "c" in r3, "c" in r1, "new" in r1, "j" in c, len(c), len(r1))
    print([k for k in r2][-2:], [k for k in r3][:3], sorted([rec(i)["j"] for i in range(3)]))
    for r in [r1, r2, r3, c]:
        for k in r:
            if r[k] != r.get(k):
                fail("lookup of " + k)
main()
`, { print: (l) => out.push(l) });
  assert.deepEqual(out, [
    '100 2 3 1 False False False True False True 11 9',
    '["j", "zz"] ["a", "b", "d"] [10, 10, 10]',
  ]);
});

test('dict(d) copies the table: original keys, order after deletions, independence, limits', () => {
  const out: string[] = [];
  runModule(`
def check(d):
    c = dict(d)
    c["new"] = 1
    for k in list(c.keys())[:2]:
        c.pop(k)
    return [len(d), len(c), "new" in d, list(d.keys())[:3] == list(dict(d).keys())[:3]]
small = {1.0: "a", 2: "b", (1, 2): "t"}
strs = {"k%d" % i: i for i in range(20)}
ints = {i: i for i in range(20)}
strs.pop("k3")
ints.pop(4)
print(dict(small), check(small), check(strs), check(ints), dict(strs)["k19"], dict(ints)[19])
frozen = dict(FROZEN)
frozen["x"] = 1
print(len(frozen), len(FROZEN))
`, { predeclared: { FROZEN: runModule('d = {"a": 1}\n').d! }, print: (l) => out.push(l) });
  assert.deepEqual(out, [
    '{1.0: "a", 2: "b", (1, 2): "t"} [3, 2, False, True] [19, 18, False, True] [19, 18, False, True] 19 19',
    '2 1',
  ]);
  const big = runModule('d = {i: i for i in range(10)}\n').d!;
  assert.throws(() => runModule('x = dict(d)\n', { predeclared: { d: big }, limits: { maxDictSize: 5 } }), /dict size 10 exceeds limit of 5/);
});

test('dict(d) and d stay independent whichever of them changes (values, new keys, deletions, clear)', () => {
  const out: string[] = [];
  runModule(`
def pair(d):
    c = dict(d)
    k0 = list(d.keys())[0]
    d[k0] = "changed"
    d["added"] = 1
    d.pop(list(d.keys())[1])
    c2 = dict(c)
    c.clear()
    return [len(d), len(c), len(c2), c2[k0] != "changed", "added" in c2, list(c2.keys()) == list(dict(c2).keys())]
print(pair({1: 1, 2: 2, 3: 3}))
print(pair({"k%d" % i: i for i in range(30)}))
print(pair({i: i for i in range(30)}))
print(pair({"a": 1, 2.0: 2, (3,): 3}))
`, { print: (l) => out.push(l) });
  assert.deepEqual(out, [
    '[3, 0, 3, True, False, True]',
    '[30, 0, 30, True, False, True]',
    '[30, 0, 30, True, False, True]',
    '[3, 0, 3, True, False, True]',
  ]);
});
