import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHED_HASH_MIN_LENGTH, StringHashCache } from '../../src/starlark/values/hash-cache.ts';
import { javaStringHash, keyOf } from '../../src/starlark/values/hashing.ts';
import { dictSet } from '../../src/starlark/values/ops.ts';
import { stringHash } from '../../src/starlark/values/strindex.ts';
import { Dict, List, Tuple } from '../../src/starlark/values/value.ts';
import { builtin, f, thread, throwsStar } from './helpers.ts';

test('hash() of long strings is the content hash, cached or not', () => {
  const t = thread();
  const base = 'abcdefghij'.repeat(20);
  const words = Array.from({ length: 3000 }, (_v, i) => base + String(i)); // more than the cache holds
  for (let round = 0; round < 3; round++) {
    for (const w of words) assert.equal(builtin('hash', [w], null, t), javaStringHash(w));
  }
  // An equal string built separately (another JS string object) finds the same hash.
  const again = 'abcdefghij'.repeat(20) + '7';
  assert.equal(builtin('hash', [again], null, t), javaStringHash(words[7]!));
  assert.equal(builtin('hash', ['x'.repeat(CACHED_HASH_MIN_LENGTH - 1)], null, t), javaStringHash('x'.repeat(CACHED_HASH_MIN_LENGTH - 1)));
});

test('strings that agree in every sampled position still get their own hash', () => {
  const c = new StringHashCache();
  const t = thread();
  const n = 1000;
  // The cache samples a few positions; these differ only at 333, which it does not sample.
  const a = 'a'.repeat(n), b = 'a'.repeat(333) + 'b' + 'a'.repeat(n - 334);
  for (let i = 0; i < 3; i++) {
    assert.equal(c.hash(t, a), javaStringHash(a));
    assert.equal(c.hash(t, b), javaStringHash(b));
  }
  assert.notEqual(javaStringHash(a), javaStringHash(b));
});

test('computing a long string hash charges steps; finding it again does not', () => {
  const t = thread();
  const s = 'q'.repeat(64 * 100);
  const before = t.steps;
  builtin('hash', [s], null, t);
  const first = t.steps - before;
  builtin('hash', [s], null, t);
  const second = t.steps - before - first;
  assert.ok(first >= 100, `first hash charged ${first}`);
  assert.equal(second, 1); // the call itself
});

test('a tuple encodes its dict key once; unhashable tuples keep failing', () => {
  const t = new Tuple([1, 'a', new Tuple([f(2.5)])]);
  const k = keyOf(t);
  assert.equal(keyOf(t), k);
  assert.equal(keyOf(new Tuple([1, 'a', new Tuple([f(2.5)])])), k);
  const bad = new Tuple([1, new List([])]);
  throwsStar(() => keyOf(bad), /unhashable type: list/);
  throwsStar(() => keyOf(bad), /unhashable type: list/);
});

test('string-keyed tables: repeated lookups of one key (the hash memo) and of equal keys agree', () => {
  const d = new Dict();
  const th = thread();
  for (let i = 0; i < 100; i++) dictSet(th, d, `k${i}`, i);
  for (let i = 0; i < 100; i++) {
    const k = `k${i}`;
    assert.equal(d.get(k), i);
    assert.equal(d.get(k), i);
    assert.equal(d.get(`k${100 - i}`), i === 0 ? undefined : 100 - i);
    assert.equal(stringHash(k), stringHash(['k', String(i)].join('')));
  }
  const long = 'x'.repeat(1000);
  assert.equal(stringHash(long), stringHash('x'.repeat(1000)));
});
