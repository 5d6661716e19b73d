import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Placement } from './placement.ts';
import type { ClusterView } from './view.ts';

function fakeView(nodes: Array<{ id: string; draining?: boolean; owns: number }>): ClusterView {
  const listeners: Array<(kind: string, rest: string) => void> = [];
  return {
    nodes: new Map(nodes.map((n) => [n.id, { id: n.id, url: `http://${n.id}`, startedAt: '', draining: n.draining ?? false }])),
    owners: new Map(),
    ownedPerNode: () => new Map(nodes.map((n) => [n.id, n.owns])),
    onChange: (listener: (kind: string, rest: string) => void) => listeners.push(listener),
  } as unknown as ClusterView;
}

test('new cenvs go to the least loaded live node, never to a draining one', () => {
  const placement = new Placement(fakeView([{ id: 'a', owns: 5 }, { id: 'b', owns: 2 }, { id: 'c', owns: 0, draining: true }]));
  assert.equal(placement.choose()?.node, 'b');
  assert.equal(placement.choose('b')?.node, 'a');
});

test('a burst of creations spreads over the nodes (pending placements count)', () => {
  const placement = new Placement(fakeView([{ id: 'a', owns: 0 }, { id: 'b', owns: 0 }, { id: 'c', owns: 0 }]));
  const counts = new Map<string, number>();
  for (let i = 0; i < 30; i++) {
    const target = placement.choose()!;
    placement.placed(target.node);
    counts.set(target.node, (counts.get(target.node) ?? 0) + 1);
  }
  assert.deepEqual([...counts.values()], [10, 10, 10]);
});

test('no live node: no placement', () => {
  assert.equal(new Placement(fakeView([{ id: 'a', owns: 0, draining: true }])).choose(), null);
});
