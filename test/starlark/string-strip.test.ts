import assert from 'node:assert/strict';
import { test } from 'node:test';
import { method, thread } from './helpers.ts';

/** The previous strip: a Set of the code points of chars, tested per code unit. */
function reference(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(chars);
  const strippable = chars === '' ? (c: string) => /\s/u.test(c) : (c: string) => set.has(c);
  let i = 0, j = s.length;
  if (left) while (i < j && strippable(s[i]!)) i++;
  if (right) while (j > i && strippable(s[j - 1]!)) j--;
  return s.slice(i, j);
}

test('strip, lstrip and rstrip agree with the per-character reference', () => {
  const texts = ['', '   ', ' \t\n a b \r\f\v', '\u00a0\u2003x\u3000', '..,,word,.', 'abcba', '\ud83d\ude00x\ud83d\ude00', '\ud800x\udc00', 'xyz'];
  const charsets = ['', '.,', 'ab', ' ', 'x', '\ud83d\ude00', '\ud800\udc00x', 'abcdefghijklmnopqrstuvwxyz.,', '\ud800'];
  for (const s of texts) {
    for (const chars of charsets) {
      for (const [name, l, r] of [['strip', true, true], ['lstrip', true, false], ['rstrip', false, true]] as const) {
        const args = chars === '' ? [] : [chars];
        assert.equal(method(s, name, args), reference(s, chars, l, r), `${JSON.stringify(s)}.${name}(${JSON.stringify(chars)})`);
      }
    }
  }
  assert.equal(method('  x  ', 'strip', [null]), 'x');
});

test('strip charges steps for long scans', () => {
  const t = thread();
  const before = t.steps;
  method(' '.repeat(1 << 16) + 'x', 'lstrip', [], null, t);
  assert.ok(t.steps - before >= 1 << 10);
});
