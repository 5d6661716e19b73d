/** The fair semaphore behind password hashing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FairSemaphore, QueueFullError } from './fair-semaphore.ts';

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

test('fair semaphore: waiters are served in rotation across groups, then members', async () => {
  const slots = new FairSemaphore(1, { maxQueue: 100, maxPerMember: 100 });
  const first = gate();
  const order: string[] = [];
  const holder = slots.run({ group: 'g0', member: 'm' }, () => first.promise);
  const runs = [
    ...Array.from({ length: 3 }, (_, i) => ['new', 'ip1', `new${i}`]),
    ['cenvA', 'ip2', 'login-a'], ['cenvB', 'ip3', 'login-b'], ['new', 'ip4', 'new-other-ip'],
  ].map(([group, member, label]) => slots.run({ group, member }, async () => { order.push(label); }));
  first.open();
  await Promise.all([holder, ...runs]);
  assert.deepEqual(order, ['new0', 'login-a', 'login-b', 'new-other-ip', 'new1', 'new2']);
});

test('fair semaphore: the queue is bounded in all and per member', async () => {
  const slots = new FairSemaphore(1, { maxQueue: 3, maxPerMember: 2 });
  const first = gate();
  const holder = slots.run({ group: 'g', member: 'a' }, () => first.promise);
  const waiting = [slots.run({ group: 'g', member: 'a' }, async () => 1), slots.run({ group: 'g', member: 'a' }, async () => 2)];
  await assert.rejects(slots.run({ group: 'g', member: 'a' }, async () => 3), QueueFullError);
  waiting.push(slots.run({ group: 'g', member: 'b' }, async () => 4));
  await assert.rejects(slots.run({ group: 'h', member: 'c' }, async () => 5), QueueFullError);
  first.open();
  assert.deepEqual(await Promise.all(waiting), [1, 2, 4]);
  await holder;
});
