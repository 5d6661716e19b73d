import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StarlarkError, toStarlarkError } from '../../src/starlark/values/errors.ts';
import { add, mul } from '../../src/starlark/values/ops.ts';
import { Thread } from '../../src/starlark/values/thread.ts';
import { builtin, list, method, throwsStar } from './helpers.ts';

test('the step budget stops a computation and names the limit', () => {
  const t = new Thread({ maxSteps: 1000 });
  throwsStar(() => {
    for (;;) t.step();
  }, /step budget of 1000 exceeded/);
  assert.ok(t.steps >= 1000);
});

/**
 * Runs `step` until the thread throws; returns how many steps ran after the
 * loop itself first saw the deadline pass (a count, so the assertion does not
 * depend on how long the OS deschedules a loaded test machine).
 */
function stepsPastDeadline(t: Thread, deadline: number, work: () => void): number {
  let past = 0;
  throwsStar(() => {
    for (;;) {
      if (Date.now() > deadline) past++;
      t.step();
      work();
    }
  }, /deadline exceeded/);
  return past;
}

test('a deadline stops a runaway loop promptly', () => {
  const deadline = Date.now() + 30;
  const t = new Thread({ deadline });
  // Cheap steps: at most one check interval (4096 steps, a few µs of work) runs past the deadline.
  assert.ok(stepsPastDeadline(t, deadline, () => {}) <= 4097);
});

test('cancel() stops at the next step', () => {
  const t = new Thread();
  t.cancel('shutting down');
  throwsStar(() => t.step(), /cancelled: shutting down/);
});

test('growth limits fail fast, before allocating', () => {
  const t = new Thread({ limits: { maxStringLength: 1000, maxListLength: 100 } });
  throwsStar(() => mul('x', 200000000, t), /excessive repeat|string length 200000000 exceeds limit of 1000/);
  throwsStar(() => builtin('list', [builtin('range', [10 ** 8])], null, t), /list length 100000000 exceeds limit of 100/);
  throwsStar(() => mul(list(1, 2), 10 ** 6, t), /exceeds limit|excessive repeat/);
  throwsStar(() => add('x'.repeat(600), 'y'.repeat(600), t), /string length 1200 exceeds limit of 1000/);
  throwsStar(() => method(',', 'join', [list(...Array(60).fill('abcdefghijklmnopqrst'))], null, t), /exceeds limit/);
  const l = list();
  throwsStar(() => {
    for (let i = 0; i < 200; i++) method(l, 'append', [i], null, t);
  }, /list length 101 exceeds limit of 100/);
});

test('builtins charge steps proportional to their work', () => {
  const t = new Thread({ maxSteps: 10000 });
  throwsStar(() => builtin('sorted', [builtin('list', [builtin('range', [5000])], null, new Thread())], null, t), /step budget/);
});

test('frames give a backtrace; call depth is limited', () => {
  const t = new Thread({ limits: { maxCallDepth: 3 } });
  const fr = t.pushFrame('<toplevel>', 'a.star');
  fr.line = 3;
  fr.col = 1;
  t.pushFrame('f', 'a.star');
  t.setPos(7, 5);
  const err = new StarlarkError('boom');
  t.captureBacktrace(err);
  assert.equal(err.format(), 'Traceback (most recent call last):\n  a.star:3:1: in <toplevel>\n  a.star:7:5: in f\nError: boom');
  assert.deepEqual(err.pos, { file: 'a.star', line: 7, col: 5 });
  assert.equal(t.frames.length, 0);
  t.pushFrame('a', 'x');
  t.pushFrame('b', 'x');
  t.pushFrame('c', 'x');
  throwsStar(() => t.pushFrame('d', 'x'), /Starlark stack overflow: call depth exceeds limit of 3/);
});

test('JS stack overflow becomes a Starlark error', () => {
  const recurse = (): number => recurse() + 1;
  let caught: unknown;
  try {
    recurse();
  } catch (e) {
    caught = e;
  }
  assert.match(toStarlarkError(caught).msg, /stack overflow/);
});

test('print goes to the thread callback', () => {
  const out: string[] = [];
  const t = new Thread({ print: (_t, msg) => out.push(msg) });
  builtin('print', ['a', 1, list(2)], [['sep', '-']], t);
  assert.deepEqual(out, ['a-1-[2]']);
});

test('repr of a shared-structure blow-up is bounded by the string limit', () => {
  const t = new Thread({ limits: { maxStringLength: 100000 } });
  const a = list(...Array(1000).fill(1));
  const b = list(...Array(1000).fill(a));
  const c = list(...Array(1000).fill(b));
  throwsStar(() => builtin('str', [c], null, t), /exceeds limit of 100000/);
  throwsStar(() => builtin('repr', [c], null, t), /exceeds limit of 100000/);
  throwsStar(() => method('{}', 'format', [c], null, t), /exceeds limit of 100000/);
});

test('the deadline is noticed promptly even when each step is slow', () => {
  const deadline = Date.now() + 30;
  const t = new Thread({ deadline });
  const slowStep = (): void => {
    const end = Date.now() + 2; // a step that does 2 ms of work (like == on two huge lists)
    while (Date.now() < end);
  };
  // The check interval has shrunk to one step by then: the next step notices.
  assert.ok(stepsPastDeadline(t, deadline, slowStep) <= 2);
});
