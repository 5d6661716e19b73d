/** The commit-event bus: order, isolation of failures, summaries, removal, reads not published. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommitBus, type CommitEvent } from './commit-bus.ts';
import { OWNER } from '../../test/helpers/tenant.ts';

test('commit bus: listeners run in order after the publisher moves on; a failing one is logged, the rest still run', async () => {
  const logged: object[] = [];
  const bus = new CommitBus({ error: (details) => logged.push(details) });
  const seen: string[] = [];
  bus.subscribe(() => { seen.push('first'); });
  bus.subscribe(async () => { throw new Error('broken'); });
  bus.subscribe((event) => { seen.push(`third:${event.cenvId}:${event.kind}`); });
  const done = bus.publish({ cenvId: 'c1', principal: OWNER, kind: 'data', writes: [{ table: 't', action: 'insert', rows: 1 }] });
  assert.deepEqual(seen, [], 'not run synchronously inside the commit path');
  await done;
  assert.deepEqual(seen, ['first', 'third:c1:data']);
  assert.equal(logged.length, 1);
});

test('commit bus: writes are summed per table and action; unknown counts do not hide known ones', async () => {
  const bus = new CommitBus();
  let event: CommitEvent | null = null;
  const off = bus.subscribe((e) => { event = e; });
  await bus.publish({ cenvId: 'c1', principal: OWNER, kind: 'data', writes: [
    { table: 't', action: 'insert', rows: 2 },
    { table: 't', action: 'insert', rows: 3 },
    { table: 'log', action: 'insert', rows: null },
    { table: 't', action: 'insert', rows: null },
  ] });
  assert.deepEqual(event!.writes, [{ table: 't', action: 'insert', rows: 5 }, { table: 'log', action: 'insert', rows: null }]);
  off();
  event = null;
  await bus.publish({ cenvId: 'c1', principal: OWNER, kind: 'data', writes: [{ table: 't', action: 'delete', rows: 1 }] });
  assert.equal(event, null);
});

test('commit bus: a data event without writes (a read) is not published; an admin change without table writes is', async () => {
  const bus = new CommitBus();
  const kinds: string[] = [];
  bus.subscribe((e) => { kinds.push(e.kind); });
  await bus.publish({ cenvId: 'c1', principal: OWNER, kind: 'data', writes: [] });
  await bus.publish({ cenvId: 'c1', principal: OWNER, kind: 'access', writes: [] });
  assert.deepEqual(kinds, ['access']);
  assert.equal(bus.published.get('data'), undefined);
  assert.equal(bus.published.get('access'), 1);
});

test('commit bus: the commits of one turn are delivered together and in order; one published meanwhile comes next', async () => {
  const bus = new CommitBus();
  const seen: string[] = [];
  const write = (cenvId: string): CommitEvent => ({ cenvId, principal: OWNER, kind: 'data', writes: [{ table: 't', action: 'insert', rows: 1 }] });
  bus.subscribe(async (event) => {
    seen.push(event.cenvId);
    if (event.cenvId === 'b') void bus.publish(write('late'));
  });
  const first = bus.publish(write('a'));
  const second = bus.publish(write('b'));
  assert.equal(first, second, 'one delivery for the turn');
  await first;
  assert.deepEqual(seen, ['a', 'b']);
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, ['a', 'b', 'late']);
});
