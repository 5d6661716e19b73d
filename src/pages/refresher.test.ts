/**
 * The background re-render scheduler with a fake render: coalescing, one render at a time
 * per page with exactly one more after marks that arrived during it, the per-cenv limit,
 * and visitors (`now`) not waiting behind background work.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Refresher } from './refresher.ts';

/** A render that finishes when the test says so, recording what started. */
function controlled() {
  const started: string[] = [];
  const pending = new Map<string, Array<() => void>>();
  const render = (cenvId: string, path: string) => {
    started.push(`${cenvId}:${path}`);
    return new Promise<void>((resolve) => {
      const list = pending.get(path) ?? [];
      list.push(resolve);
      pending.set(path, list);
    });
  };
  const finish = (path: string) => pending.get(path)?.shift()?.();
  return { started, render, finish, running: () => [...pending.values()].reduce((n, l) => n + l.length, 0) };
}

const tick = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Refresher', () => {
  test('a burst of marks before rendering starts renders each page once', async () => {
    const calls: string[] = [];
    const refresher = new Refresher(async (cenvId, path) => { calls.push(path); }, { delayMs: 5 });
    for (let i = 0; i < 50; i++) refresher.mark('c', ['a', 'b']);
    await refresher.idle();
    assert.deepEqual(calls.sort(), ['a', 'b']);
  });

  test('marks during a render cause exactly one more render, after it', async () => {
    const fake = controlled();
    const refresher = new Refresher(fake.render, { delayMs: 0 });
    refresher.mark('c', ['a']);
    await tick();
    assert.deepEqual(fake.started, ['c:a']);
    for (let i = 0; i < 10; i++) refresher.mark('c', ['a']);
    await tick();
    assert.equal(fake.started.length, 1, 'never two renders of one page at once');
    fake.finish('a');
    await tick();
    assert.deepEqual(fake.started, ['c:a', 'c:a']);
    fake.finish('a');
    await refresher.idle();
    assert.equal(fake.started.length, 2);
  });

  test('at most `concurrency` background renders per cenv; other cenvs are not held back', async () => {
    const fake = controlled();
    const refresher = new Refresher(fake.render, { delayMs: 0, concurrency: 2 });
    refresher.mark('c', ['p1', 'p2', 'p3', 'p4']);
    refresher.mark('d', ['q1']);
    await tick();
    assert.deepEqual(fake.started.sort(), ['c:p1', 'c:p2', 'd:q1']);
    fake.finish('p1');
    await tick();
    assert.ok(fake.started.includes('c:p3'));
    for (const p of ['p2', 'p3', 'q1']) fake.finish(p);
    await tick();
    assert.ok(fake.started.includes('c:p4'));
    fake.finish('p4');
    await refresher.idle();
    assert.equal(fake.started.length, 5);
  });

  test('a visitor renders at once, joins a running render, and takes a queued page out of the queue', async () => {
    const fake = controlled();
    const refresher = new Refresher(fake.render, { delayMs: 0, concurrency: 1 });
    refresher.mark('c', ['busy', 'queued']);
    await tick();
    assert.deepEqual(fake.started, ['c:busy']);
    const joined = refresher.now('c', 'busy');
    const direct = refresher.now('c', 'queued');
    await tick();
    assert.deepEqual(fake.started, ['c:busy', 'c:queued'], 'the visitor did not wait for the background slot');
    fake.finish('busy');
    fake.finish('queued');
    await Promise.all([joined, direct]);
    await refresher.idle();
    assert.equal(fake.started.length, 2, 'the queued page was not rendered twice');
  });

  test('a render that throws is logged and the scheduler goes on', async () => {
    const logged: object[] = [];
    const refresher = new Refresher(async (_c, path) => { if (path === 'bad') throw new Error('boom'); },
      { delayMs: 0, logger: { error: (details) => logged.push(details) } });
    refresher.mark('c', ['bad', 'good']);
    await refresher.idle();
    assert.equal(logged.length, 1);
    assert.equal(refresher.renders, 2);
  });

  test('a background render the sandbox refuses is tried again later, the last time with lastTry', async () => {
    const calls: boolean[] = [];
    const refused = Object.assign(new Error('overloaded'), { statusCode: 503 });
    const refresher = new Refresher(async (_c, _p, { lastTry }) => {
      calls.push(lastTry);
      if (!lastTry) throw refused;
    }, { delayMs: 0 });
    refresher.mark('c', ['a']);
    await refresher.idle();
    assert.deepEqual(calls, [false, false, false, true]);
  });

  test('a visitor gets the refusal itself; it is not retried', async () => {
    let calls = 0;
    const refresher = new Refresher(async () => {
      calls++;
      throw Object.assign(new Error('too many'), { statusCode: 429 });
    }, { delayMs: 0 });
    await assert.rejects(refresher.now('c', 'a', { ipKey: '1.2.3.4' }), /too many/);
    await refresher.idle();
    assert.equal(calls, 1);
  });
});
