/** The bounded cache: a size that never passes its limit, and entries read since they were last passed over kept first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from './lru.ts';

test('lru: entries never read leave oldest first', () => {
  const cache = new BoundedCache<number, string>(3);
  for (let i = 0; i < 10; i++) cache.set(i, `v${i}`);
  assert.deepEqual([...cache.keys()], [7, 8, 9]);
  assert.equal(cache.get(6), undefined);
});

test('lru: a read entry survives the next eviction, an unread newer one goes', () => {
  const cache = new BoundedCache<string, number>(3);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3);
  assert.equal(cache.get('a'), 1);
  cache.set('d', 4);
  assert.deepEqual([...cache.keys()].sort(), ['a', 'c', 'd'], 'b was the oldest entry not read');
  // a went to the back when it was kept, so c is now the oldest entry not read.
  cache.set('e', 5);
  assert.deepEqual([...cache.keys()].sort(), ['a', 'd', 'e']);
});

test('lru: when every entry was read, one still goes; set replaces a value in place', () => {
  const cache = new BoundedCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.get('a');
  cache.get('b');
  cache.set('c', 3);
  assert.equal(cache.size, 2);
  assert.ok(cache.has('c'), 'the entry being added is never the one that goes');
  cache.set('c', 30);
  assert.equal(cache.get('c'), 30);
  assert.equal(cache.size, 2);
  assert.equal(cache.delete('c'), true);
  assert.equal(cache.get('c'), undefined);
});
