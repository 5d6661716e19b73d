/** The keyed limiter behind the login throttle and the cenv-creation limit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedLimiter } from './keyed-limiter.ts';

test('keyed limiter: takes up to max per window, then says how long to wait; refunds give a slot back', () => {
  const limiter = new KeyedLimiter({ max: 2, windowMs: 10_000 });
  assert.equal(limiter.take('k', 0), 0);
  assert.equal(limiter.take('k', 0), 0);
  assert.equal(limiter.take('k', 1000), 9);
  assert.equal(limiter.take('other', 1000), 0, 'keys are independent');
  limiter.refund('k', 2000);
  assert.equal(limiter.retryAfter('k', 2000), 0);
  assert.equal(limiter.take('k', 2000), 0);
  assert.equal(limiter.take('k', 10_000), 0, 'a new window');
});

test('keyed limiter: 0 turns it off; memory is bounded', () => {
  const off = new KeyedLimiter({ max: 0, windowMs: 1000 });
  for (let i = 0; i < 10; i++) assert.equal(off.take('k'), 0);
  const small = new KeyedLimiter({ max: 1, windowMs: 60_000, maxKeys: 3 });
  for (const key of ['a', 'b', 'c', 'd']) small.take(key, 0);
  assert.equal(small.take('a', 1), 0, 'the oldest key was forgotten');
  assert.ok(small.take('d', 1) > 0);
});
