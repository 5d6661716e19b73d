/** The sandbox's waiting room: rotation across cenvs, caps per cenv and per address. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FairQueue } from './scheduler.ts';

interface Job { cenvId: string; ipKey: string | null; n: number }
const caps = { perCenv: 100, perIp: 100 };

test('scheduler: jobs are served in rotation across cenvs, FIFO within one', () => {
  const queue = new FairQueue<Job>();
  const jobs: Job[] = [
    ...Array.from({ length: 5 }, (_, n) => ({ cenvId: 'A', ipKey: null, n })),
    { cenvId: 'B', ipKey: null, n: 0 }, { cenvId: 'C', ipKey: null, n: 0 }, { cenvId: 'B', ipKey: null, n: 1 },
  ];
  for (const job of jobs) { queue.admit(job, caps); queue.push(job); }
  const order: string[] = [];
  for (let job = queue.next(() => true); job; job = queue.next(() => true)) order.push(`${job.cenvId}${job.n}`);
  assert.deepEqual(order, ['A0', 'B0', 'C0', 'A1', 'B1', 'A2', 'A3', 'A4']);
});

test('scheduler: a cenv that may not start more is skipped, not blocking the others', () => {
  const queue = new FairQueue<Job>();
  for (const job of [{ cenvId: 'A', ipKey: null, n: 0 }, { cenvId: 'B', ipKey: null, n: 0 }]) { queue.admit(job, caps); queue.push(job); }
  assert.equal(queue.next((job) => job.cenvId !== 'A')!.cenvId, 'B');
  assert.equal(queue.next((job) => job.cenvId !== 'A'), undefined);
  assert.equal(queue.hasEligible((job) => job.cenvId !== 'A'), false);
  assert.equal(queue.nextOf('A')!.cenvId, 'A');
});

test('scheduler: caps count running and waiting jobs; done() frees them', () => {
  const queue = new FairQueue<Job>();
  const a = (n: number, ip: string | null = null) => ({ cenvId: 'A', ipKey: ip, n });
  queue.admit(a(0), { perCenv: 2, perIp: 1 });
  queue.admit(a(1), { perCenv: 2, perIp: 1 });
  assert.throws(() => queue.admit(a(2), { perCenv: 2, perIp: 1 }), { statusCode: 503, message: /sandbox_max_jobs_per_cenv/ });
  queue.admit({ cenvId: 'B', ipKey: '1.2.3.4', n: 0 }, { perCenv: 2, perIp: 1 });
  assert.throws(() => queue.admit({ cenvId: 'C', ipKey: '1.2.3.4', n: 0 }, { perCenv: 2, perIp: 1 }), { statusCode: 429 });
  queue.done({ cenvId: 'B', ipKey: '1.2.3.4', n: 0 });
  queue.admit({ cenvId: 'C', ipKey: '1.2.3.4', n: 0 }, { perCenv: 2, perIp: 1 });
  queue.done(a(0));
  queue.admit(a(3), { perCenv: 2, perIp: 1 });
  assert.equal(queue.load('A'), 2);
});
