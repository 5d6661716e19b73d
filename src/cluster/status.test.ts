import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterStatus, formatStatus, type LocalStatus } from './status.ts';
import type { ClusterView } from './view.ts';

const view = {
  nodes: new Map([
    ['a:1', { id: 'a:1', url: 'http://a:1', startedAt: '', draining: false }],
    ['b:1', { id: 'b:1', url: 'http://b:1', startedAt: '', draining: true }],
  ]),
  cenvs: new Map([
    ['c1', { id: 'c1', name: 'blog', status: 'active', createdAt: '' }],
    ['c2', { id: 'c2', name: null, status: 'active', createdAt: '' }],
    ['c3', { id: 'c3', name: null, status: 'active', createdAt: '' }],
  ]),
  owners: new Map([
    ['c1', { node: 'a:1', url: 'http://a:1', token: '12', lease: '1' }],
    ['c2', { node: 'b:1', url: 'http://b:1', token: '15', lease: '2' }],
  ]),
} as unknown as ClusterView;

const local: LocalStatus = {
  node: 'a:1', draining: false, lease_remaining_ms: 8000, litestream_processes: 1, forwarded: 3, forward_failures: 0,
  cenvs: [{ id: 'c1', token: '12', state: 'serving', lag_ms: 400, inflight: 0 }],
};

test('status: owners and tokens from etcd, lag from each node, unreachable nodes shown as such', async () => {
  const status = await clusterStatus(view, 'a:1', local, async () => null);
  assert.deepEqual(status.cenvs, { total: 3, owned: 2, unowned: 1 });
  const [a, b] = status.nodes;
  assert.equal(a.self, true);
  assert.deepEqual(a.cenvs, [{ id: 'c1', name: 'blog', token: '12', state: 'serving', lag_ms: 400 }]);
  assert.equal(a.max_lag_ms, 400);
  assert.equal(b.reachable, false);
  assert.equal(b.draining, true);
  assert.equal(b.cenvs[0].lag_ms, null);
  const text = formatStatus(status);
  assert.match(text, /2 nodes, 3 cenvs \(2 open, 1 closed/);
  assert.match(text, /a:1 \*\s+serving\s+1\s+0\.4 s/);
  assert.match(text, /b:1\s+unreachable/);
  assert.match(text, /c1 {2}blog\s+token 12/);
});
