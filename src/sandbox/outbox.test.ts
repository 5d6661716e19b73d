/** The outbox: one write per turn, jobs held while the child has HOLD_AHEAD unanswered, evictions never held. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { HOLD_AHEAD, Outbox } from './outbox.ts';
import type { ParentMessage } from './protocol.ts';

function fakeChild() {
  const writes: Array<ParentMessage | { kind: 'batch'; messages: ParentMessage[] }> = [];
  const proc = { connected: true, send: (message: ParentMessage) => { writes.push(structuredClone(message)); return true; } };
  return { proc: proc as unknown as ChildProcess, writes };
}

const job = (id: number) => ({ kind: 'job', id }) as unknown as ParentMessage;
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** An outbox whose child was just sent HOLD_AHEAD jobs (jobs 1…HOLD_AHEAD, in one write). */
async function fullChild() {
  const { proc, writes } = fakeChild();
  const outbox = new Outbox(proc, () => assert.fail('unsendable'));
  for (let i = 1; i <= HOLD_AHEAD; i++) outbox.push(job(i));
  await turn();
  return { outbox, writes };
}

const ids = (write: unknown) => (write as { kind: string; messages?: Array<{ id: number }>; id?: number }).messages?.map((m) => m.id) ?? [(write as { id: number }).id];

test('outbox: the jobs of one turn go out in one write', async () => {
  const { proc, writes } = fakeChild();
  const outbox = new Outbox(proc, () => assert.fail('unsendable'));
  for (let i = 1; i <= 3; i++) outbox.push(job(i));
  await turn();
  assert.deepEqual(writes.map(ids), [[1, 2, 3]]);
});

test('outbox: with HOLD_AHEAD jobs unanswered, new jobs wait for an answer, then go out together', async () => {
  const { outbox, writes } = await fullChild();
  outbox.push(job(100));
  await turn();
  outbox.push(job(101));
  await turn();
  assert.equal(writes.length, 1, 'held while the child has enough to do');
  outbox.answered();
  await turn();
  assert.deepEqual(writes.map(ids).at(-1), [100, 101]);
});

test('outbox: an eviction is never held, and takes the held jobs with it', async () => {
  const { outbox, writes } = await fullChild();
  outbox.push(job(100));
  outbox.push({ kind: 'evict', cenvId: 'c', generation: 1, ack: 7 } as ParentMessage);
  await turn();
  assert.equal(writes.length, 2);
  assert.deepEqual((writes[1] as { messages: Array<{ kind: string }> }).messages.map((m) => m.kind), ['job', 'evict']);
});

test('outbox: a job that cannot be sent fails alone and is not counted as sent', async () => {
  const { proc, writes } = fakeChild();
  const refused: number[] = [];
  const send = proc.send.bind(proc);
  (proc as unknown as { send: (m: unknown) => boolean }).send = (message) => {
    const all = (message as { messages?: Array<{ id: number }> }).messages ?? [message as { id: number }];
    if (all.some((m) => m.id === 13)) throw new RangeError('too deep');
    return send(message as ParentMessage);
  };
  const outbox = new Outbox(proc, (message) => refused.push((message as unknown as { id: number }).id));
  for (let i = 1; i <= HOLD_AHEAD; i++) outbox.push(job(i === 3 ? 13 : i));
  await turn();
  assert.deepEqual(refused, [13]);
  // HOLD_AHEAD - 1 are unanswered, so the next job still goes out at the end of its turn.
  outbox.push(job(200));
  await turn();
  assert.deepEqual(writes.map(ids).at(-1), [200]);
});
