/**
 * The main process's two endpoint caches: run logs stay within their bounds (per endpoint in
 * runs and bytes, in total), and a routing table loaded while its cenv was invalidated is
 * never kept (so a saved change is live on the next request).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunLogs, type StoredRun } from './run-logs.ts';
import { RouteCache } from './route-cache.ts';
import type { RouteInfo } from './route-table.ts';

function record(i: number, logs: string[] = []): StoredRun {
  return { at: 0, request_id: `r${i}`, method: 'GET', path: '/x', status: 200, duration_ms: 1, steps: 1, version: 1, user: null, logs, error: null };
}

test('run logs: newest first, bounded by runs and bytes per endpoint', () => {
  const logs = new RunLogs({ runs: 3, bytes: 10_000, totalBytes: 1e9 });
  for (let i = 0; i < 5; i++) logs.add('c', 1, record(i));
  assert.deepEqual(logs.list('c', 1).map((r) => r.request_id), ['r4', 'r3', 'r2']);
  assert.deepEqual(logs.list('c', 1, 1).map((r) => r.request_id), ['r4']);
  logs.add('c', 1, record(9, ['x'.repeat(6000)]));
  assert.deepEqual(logs.list('c', 1).map((r) => r.request_id), ['r9'], 'one big record pushes the others out, but is kept itself');
  assert.deepEqual(logs.list('c', 2), []);
});

test('run logs: the total bound drops the least recently written endpoints first; forget and forgetCenv', () => {
  const logs = new RunLogs({ runs: 100, bytes: 1e9, totalBytes: 5000 });
  logs.add('a', 1, record(1, ['x'.repeat(1000)]));
  logs.add('b', 1, record(2, ['x'.repeat(1000)]));
  logs.add('a', 1, record(3, ['x'.repeat(1000)]));
  assert.ok(logs.bytes <= 5000);
  assert.deepEqual(logs.list('b', 1), [], 'b was written least recently');
  assert.equal(logs.list('a', 1).length, 2);
  logs.add('a', 2, record(4));
  logs.forget('a', 1);
  assert.deepEqual(logs.list('a', 1), []);
  logs.forgetCenv('a');
  assert.deepEqual(logs.list('a', 2), []);
  assert.equal(logs.bytes, 0);
});

test('route cache: loads once, and never keeps a table that was loading while its cenv changed', async () => {
  let release: (routes: RouteInfo[]) => void = () => {};
  let loads = 0;
  const cache = new RouteCache(() => {
    loads++;
    return new Promise<RouteInfo[]>((resolve) => { release = resolve; });
  });
  const stale = cache.table('c');
  cache.invalidate('c');
  release([]);
  assert.equal((await stale).size, 0);
  const fresh = cache.table('c');
  release([{ id: 1, method: 'GET', path: '/x', access: 'public', run_as: 'caller', version: 2 }]);
  assert.equal((await fresh).size, 1);
  assert.equal((await cache.table('c')).size, 1);
  assert.equal(loads, 2, 'the stale table was not kept; the fresh one was');
});
