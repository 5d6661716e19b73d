/** The keyed limiter and its memory store: windows, refunds, refusals, namespaces, bounds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedLimiter } from './keyed-limiter.ts';
import { MemoryCounterStore } from './counter-store.ts';

function clock(): { now: () => number; at: number } {
  const c = { at: 0, now: () => c.at };
  return c;
}

test('keyed limiter: takes up to max per window, then says how long to wait; refunds give a slot back', async () => {
  const time = clock();
  const limiter = new KeyedLimiter(new MemoryCounterStore({ now: time.now }), 'k', { max: 2, windowMs: 10_000 });
  assert.deepEqual(await limiter.take('k'), { ok: true, limit: 2, remaining: 1, resetSeconds: 10 });
  assert.equal((await limiter.take('k')).remaining, 0);
  time.at = 1000;
  assert.deepEqual(await limiter.take('k'), { ok: false, limit: 2, remaining: 0, resetSeconds: 9 });
  assert.equal((await limiter.take('other')).ok, true, 'keys are independent');
  time.at = 2000;
  await limiter.refund('k');
  assert.equal((await limiter.take('k')).ok, true, 'the refunded slot');
  assert.equal((await limiter.take('k')).ok, false, 'refusals were not counted, refunds were');
  time.at = 10_000;
  assert.deepEqual(await limiter.take('k'), { ok: true, limit: 2, remaining: 1, resetSeconds: 10 }, 'a new window');
});

test('keyed limiter: max 0 turns it off; a take may bring its own max', async () => {
  const limiter = new KeyedLimiter(new MemoryCounterStore(), 'k', { max: 0, windowMs: 1000 });
  for (let i = 0; i < 10; i++) assert.equal((await limiter.take('k')).ok, true);
  assert.equal((await limiter.take('j', 1)).ok, true);
  assert.equal((await limiter.take('j', 1)).ok, false);
});

test('memory store: each namespace is bounded on its own, ended windows go first', () => {
  const time = clock();
  const store = new MemoryCounterStore({ maxKeys: 3, now: time.now });
  store.increment('login', 'victim', 600_000);
  for (let i = 0; i < 1000; i++) store.increment('rate', `ip${i}`, 60_000);
  assert.equal(store.size('rate'), 3);
  assert.equal(store.increment('login', 'victim', 600_000).count, 2, 'a flood in one namespace does not evict another\'s keys');
  store.increment('short', 'a', 10);
  store.increment('short', 'b', 60_000);
  store.increment('short', 'c', 60_000);
  time.at = 20;
  store.increment('short', 'd', 60_000);
  assert.equal(store.increment('short', 'b', 60_000).count, 2, 'the ended window of "a" made room, not "b"');
});
