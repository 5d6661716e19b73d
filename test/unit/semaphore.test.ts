import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Semaphore, QueueFullError } from '../../src/tools/semaphore.ts';

test('runs at most `limit` tasks at once, in arrival order, and refuses past the queue bound', async () => {
  const semaphore = new Semaphore(2, 3);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const task = (n: number) => semaphore.run(async () => {
    running++;
    peak = Math.max(peak, running);
    await sleep(10);
    order.push(n);
    running--;
    return n;
  });
  const accepted = [1, 2, 3, 4, 5].map(task);
  await assert.rejects(task(6), QueueFullError);
  assert.deepEqual(await Promise.all(accepted), [1, 2, 3, 4, 5]);
  assert.equal(peak, 2);
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
  // A failing task frees its slot.
  await assert.rejects(semaphore.run(async () => { throw new Error('x'); }), /x/);
  assert.equal(await semaphore.run(async () => 'free'), 'free');
});
