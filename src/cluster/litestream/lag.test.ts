import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LagTracker } from './lag.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

test('lag is the age of the oldest commit not yet known to be on the replica', () => {
  const time = clock();
  const lag = new LagTracker(time.now);
  lag.track('a');
  assert.equal(lag.lagMs('a'), 0, 'nothing committed: no lag');
  lag.commit('a');
  time.advance(700);
  assert.equal(lag.lagMs('a'), 700);
  // A segment that started less than a monitor interval after the commit may not hold it.
  lag.segmentStarted('a');
  time.advance(50);
  lag.segmentWritten('a');
  assert.ok(lag.lagMs('a') >= 700, 'not confirmed by a segment that may predate the commit');
  time.advance(1000);
  lag.segmentStarted('a');
  lag.segmentWritten('a');
  assert.equal(lag.lagMs('a'), 0, 'a segment started a second after the commit holds it');
});

test('under continuous writes the lag stays bounded, and untracked cenvs are ignored', () => {
  const time = clock();
  const lag = new LagTracker(time.now);
  lag.track('a');
  for (let second = 0; second < 10; second++) {
    for (let i = 0; i < 10; i++) { lag.commit('a'); time.advance(100); }
    lag.segmentStarted('a');
    lag.segmentWritten('a');
    assert.ok(lag.lagMs('a') <= 1100, `lag ${lag.lagMs('a')} ms after ${second + 1} s`);
  }
  lag.commit('b');
  assert.equal(lag.lagMs('b'), 0);
  lag.forget('a');
  assert.equal(lag.maxLagMs(), 0);
});
