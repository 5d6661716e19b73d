import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Thread } from '../../src/starlark/values/thread.ts';
import type { List } from '../../src/starlark/values/value.ts';
import { method, thread, throwsStar } from './helpers.ts';

/** Python's split/rsplit with a separator, written the obvious way (split everything, join the rest). */
function reference(s: string, sep: string, max: number, fromRight: boolean): string[] {
  const parts = s.split(sep);
  if (max < 0 || parts.length <= max + 1) return parts;
  if (!fromRight) return [...parts.slice(0, max), parts.slice(max).join(sep)];
  const k = parts.length - max;
  return [parts.slice(0, k).join(sep), ...parts.slice(k)];
}

const elems = (v: unknown): unknown[] => (v as List).elems;

test('split/rsplit with a separator agree with the reference at every maxsplit boundary', () => {
  const t = thread();
  const inputs = ['', ',', ',,', 'a', 'a,b', ',a,b,', 'a,,b,,,c', 'aaa', 'aaaa', 'abab', 'xabxabx'];
  for (const s of inputs) {
    for (const sep of [',', 'a', 'aa', 'ab', 'zz']) {
      const n = s.split(sep).length - 1;
      for (const max of [-5, -1, 0, 1, 2, n - 1, n, n + 1, 100]) {
        for (const right of [false, true]) {
          if (right && sep === 'aa') continue; // overlapping matches: the reference cuts from the left (below)
          const got = elems(method(s, right ? 'rsplit' : 'split', [sep, max], null, t));
          assert.deepEqual(got, reference(s, sep, max, right), `${JSON.stringify(s)}.${right ? 'r' : ''}split(${JSON.stringify(sep)}, ${max})`);
        }
      }
    }
  }
  // Overlapping separators are matched from the splitting end, as in Python.
  assert.deepEqual(elems(method('aaa', 'split', ['aa', 1], null, t)), ['', 'a']);
  assert.deepEqual(elems(method('aaa', 'rsplit', ['aa', 1], null, t)), ['a', '']);
});

test('long strings: the native split and the bounded scans give the same parts', () => {
  const t = thread();
  const line = Array.from({ length: 3000 }, (_v, i) => `f${i}`).join(', ');
  for (const max of [-1, 0, 1, 7, 2999, 3000]) {
    for (const right of [false, true]) {
      assert.deepEqual(elems(method(line, right ? 'rsplit' : 'split', [', ', max], null, t)), reference(line, ', ', max, right));
    }
  }
  assert.deepEqual(elems(method(line, 'split', [], null, t)), line.split(' '));
});

test('a maxsplit split charges for what it scans, not for the whole string', () => {
  const t = thread();
  const line = 'head,' + 'x'.repeat(1 << 20);
  const before = t.steps;
  assert.equal(elems(method(line, 'split', [',', 1], null, t)).length, 2);
  assert.equal(elems(method(line, 'rsplit', ['x', 1], null, t)).length, 2);
  assert.ok(t.steps - before < 10, `charged ${t.steps - before}`);
  const all = t.steps;
  method(line, 'split', ['x'], null, t);
  assert.ok(t.steps - all >= 1 << 16, 'a full split is charged by length');
});

test('split errors and limits are unchanged', () => {
  throwsStar(() => method('a', 'split', ['']), /split: empty separator/);
  throwsStar(() => method('a', 'rsplit', [',', 1, 2]), /rsplit: got 3 arguments, want at most 2/);
  throwsStar(() => method('a', 'split', [1]), /split: for parameter sep: got int, want string/);
  throwsStar(() => method('a', 'split', [',', 'x']), /split: for parameter maxsplit: got string, want int/);
  assert.deepEqual(elems(method('a b', 'split', [], [['maxsplit', 0]])), ['a b']);
  const small = new Thread({ limits: { maxListLength: 10 } });
  throwsStar(() => method(','.repeat(20), 'split', [','], null, small), /list length \d+ exceeds limit of 10/);
  throwsStar(() => method(','.repeat(20), 'rsplit', [',', 15], null, small), /list length \d+ exceeds limit of 10/);
});
