/** The loading cache behind settings and routing tables: loads once, and a raced load is not kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadingCache } from './loading-cache.ts';

test('loading cache: loads once per key, and again after an invalidation', async () => {
  let loads = 0;
  const cache = new LoadingCache(async (key) => `${key}:${++loads}`);
  assert.equal(await cache.get('a'), 'a:1');
  assert.equal(await cache.get('a'), 'a:1');
  cache.invalidate('a');
  assert.equal(await cache.get('a'), 'a:2');
});

test('loading cache: a load in flight during an invalidation is answered but not kept', async () => {
  let release!: () => void;
  let version = 'old';
  const cache = new LoadingCache(async () => {
    const seen = version;
    await new Promise<void>((resolve) => { release = resolve; });
    return seen;
  });
  const racing = cache.get('k');
  version = 'new';
  cache.invalidate('k');
  release();
  assert.equal(await racing, 'old', 'the caller that started before the write gets what it read');
  const next = cache.get('k');
  release();
  assert.equal(await next, 'new', 'the old value was not kept for later callers');
});

test('loading cache: peek answers from memory only', async () => {
  const cache = new LoadingCache(async (key) => `value of ${key}`);
  assert.equal(cache.peek('a'), undefined, 'nothing loaded yet, and peek loads nothing');
  await cache.get('a');
  assert.equal(cache.peek('a'), 'value of a');
  cache.invalidate('a');
  assert.equal(cache.peek('a'), undefined);
});
