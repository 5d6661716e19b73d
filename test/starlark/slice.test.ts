import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slice } from '../../src/starlark/values/ops.ts';
import { List, Tuple } from '../../src/starlark/values/value.ts';
import { thread } from './helpers.ts';

/** Python's s[lo:hi:step] for already-clamped bounds, one code unit at a time. */
function reference(s: string, lo: number | null, hi: number | null, step: number): string {
  const n = s.length;
  const norm = (v: number | null, dflt: number) => {
    if (v === null) return dflt;
    const j = v < 0 ? v + n : v;
    return step > 0 ? Math.min(Math.max(j, 0), n) : Math.min(Math.max(j, -1), n - 1);
  };
  const a = norm(lo, step > 0 ? 0 : n - 1), b = norm(hi, step > 0 ? n : -1);
  let out = '';
  for (let i = a; step > 0 ? i < b : i > b; i += step) out += s[i];
  return out;
}

test('string slices with a step copy exactly the code units Python would pick', () => {
  const texts = [
    '',
    'abc',
    'the quick brown fox jumps over the lazy dog '.repeat(5),
    'h\u00e9llo w\u00f6rld \u00ff'.repeat(12), // Latin-1, one byte per code unit
    'snow \u2603 and \ud83d\ude00 face, lone \ud800 and \udfff '.repeat(6), // wide, with surrogates
  ];
  const bounds = [null, 0, 1, 5, -1, -7, 40, 200, 1000, -1000];
  for (const s of texts) {
    for (const step of [-1, 1, 2, 3, -2, -3, 7, -50]) {
      for (const lo of bounds) {
        for (const hi of bounds) {
          assert.equal(slice(s, lo, hi, step), reference(s, lo, hi, step), `${JSON.stringify(s.slice(0, 10))}[${lo}:${hi}:${step}]`);
        }
      }
    }
  }
  assert.equal(slice('a\ud83d\ude00b', null, null, -1), 'b\ude00\ud83da'); // a reversed pair is two lone surrogates
});

test('list and tuple slices with a step, and the steps charged for a copy', () => {
  const xs = new List(Array.from({ length: 100 }, (_v, i) => i));
  assert.deepEqual((slice(xs, null, null, 7) as List).elems, Array.from({ length: 15 }, (_v, i) => 7 * i));
  assert.deepEqual((slice(new Tuple([1, 2, 3, 4]), -1, 0, -2) as Tuple).elems, [4, 2]);
  const t = thread();
  const before = t.steps;
  slice('x'.repeat(1 << 16), null, null, -1, t);
  assert.equal(t.steps - before, 1 << 12);
});
