/** The commit hook registry: order, isolation of failures, summaries, removal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommitHooks, type CommitEvent } from '../commit-hooks.ts';
import { OWNER } from './helpers.ts';

test('hooks run in order after the caller moves on; a failing one is logged, the rest still run', async () => {
  const logged: object[] = [];
  const hooks = new CommitHooks({ error: (details) => logged.push(details) });
  const seen: string[] = [];
  hooks.register(() => { seen.push('first'); });
  hooks.register(async () => { throw new Error('broken'); });
  hooks.register((event) => { seen.push(`third:${event.cenvId}`); });
  const done = hooks.emit('c1', OWNER, [{ table: 't', action: 'insert', rows: 1 }]);
  assert.deepEqual(seen, [], 'not run synchronously inside the commit path');
  await done;
  assert.deepEqual(seen, ['first', 'third:c1']);
  assert.equal(logged.length, 1);
});

test('writes are summed per table and action; unknown counts do not hide known ones', async () => {
  const hooks = new CommitHooks();
  let event: CommitEvent | null = null;
  const off = hooks.register((e) => { event = e; });
  await hooks.emit('c1', OWNER, [
    { table: 't', action: 'insert', rows: 2 },
    { table: 't', action: 'insert', rows: 3 },
    { table: 'log', action: 'insert', rows: null },
    { table: 't', action: 'insert', rows: null },
  ]);
  assert.deepEqual(event!.writes, [{ table: 't', action: 'insert', rows: 5 }, { table: 'log', action: 'insert', rows: null }]);
  off();
  event = null;
  await hooks.emit('c1', OWNER, [{ table: 't', action: 'delete', rows: 1 }]);
  assert.equal(event, null);
});
