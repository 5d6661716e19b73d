import assert from 'node:assert/strict';
import { test } from 'node:test';
import { method, thread, throwsStar } from './helpers.ts';

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

test('replace: the replacement is literal text; the limit is checked on what can really grow', () => {
  assert.equal(method('x', 'replace', ['x', '$&!']), '$&!');
  assert.equal(method('a.b.c', 'replace', ['.', '$1$$']), 'a$1$$b$1$$c');
  assert.equal(method('ab', 'replace', ['', '$$']), '$$a$$b$$');
  assert.equal(method('ab', 'replace', ['', '-', 2]), '-a-b');
  assert.equal(method('aaaa', 'replace', ['a', 'bb', 2]), 'bbbbaa');
  assert.equal(method('aaaa', 'replace', ['aa', 'b']), 'bb');
  const small = thread({ limits: { maxStringLength: 20 } });
  assert.equal(method('a' + 'x'.repeat(15), 'replace', ['a', 'bbbbb', 1000000], null, small), 'bbbbb' + 'x'.repeat(15));
  throwsStar(() => method('aaaaaaaaaa', 'replace', ['a', 'bbb'], null, small), /string length 30 exceeds limit of 20/);
  throwsStar(() => method('ab', 'replace', ['', 'x'.repeat(10)], null, small), /string length 32 exceeds limit of 20/);
});

test('replace: count < 0 replaces all, 0 none, more than there are all; empty and missing old strings', () => {
  const rows: Array<[string, string, string, number | undefined, string]> = [
    ['aaa', 'a', 'b', -1, 'bbb'], ['aaa', 'a', 'b', -7, 'bbb'], ['aaa', 'a', 'b', 0, 'aaa'], ['aaa', 'a', 'b', 1, 'baa'],
    ['aaa', 'a', 'b', 5, 'bbb'], ['ab', '', '-', 0, 'ab'], ['ab', '', '-', -3, '-a-b-'], ['ab', '', '-', 1, '-ab'],
    ['ab', '', '-', 3, '-a-b-'], ['ab', '', '-', 9, '-a-b-'], ['', '', '-', undefined, '-'], ['', '', '-', 0, ''],
    ['', 'a', 'b', undefined, ''], ['abc', 'x', 'y', undefined, 'abc'], ['a$b', '$', '$&', undefined, 'a$&b'],
    ['a$b', '$', "$'$`", undefined, "a$'$`b"], ['abab', 'ab', '', 1, 'ab'], ['abcabc', 'abc', 'x', -1, 'xx'],
  ];
  for (const [s, old, rep, n, want] of rows) {
    const args = n === undefined ? [old, rep] : [old, rep, n];
    assert.equal(method(s, 'replace', args), want, `${JSON.stringify(s)}.replace(${JSON.stringify(old)}, ${JSON.stringify(rep)}, ${n})`);
  }
  throwsStar(() => method('a', 'replace', ['a', 'b', 'c']), /replace: for parameter count: got string, want int/);
});

test('replace: the growth limit is checked against the occurrences there are, not an upper bound', () => {
  const small = thread({ limits: { maxStringLength: 20 } });
  // Every x could be an occurrence of a one-unit old string: the bound (17 * 3) is over, the result (19) is not.
  assert.equal(method('x'.repeat(16) + 'a', 'replace', ['a', 'bbb'], null, small), 'x'.repeat(16) + 'bbb');
  assert.equal(method('a'.repeat(10), 'replace', ['a', 'bbb', 0], null, small), 'a'.repeat(10));
  assert.equal(method('ab', 'replace', ['', 'x'.repeat(10), 1], null, small), 'x'.repeat(10) + 'ab');
  assert.equal(method('a'.repeat(20), 'replace', ['a', 'b'], null, small), 'b'.repeat(20)); // no growth, no count
  assert.equal(method('x'.repeat(16) + 'a', 'replace', ['a', 'bbbb'], null, small), 'x'.repeat(16) + 'bbbb'); // exactly the limit
  throwsStar(() => method('x'.repeat(17) + 'a', 'replace', ['a', 'bbbb'], null, small), /string length 21 exceeds limit of 20/);
  assert.equal(method('aaaa', 'replace', ['a', 'b'.repeat(6), 3], null, small), 'b'.repeat(18) + 'a'); // the count caps the growth
  throwsStar(() => method('aaaa', 'replace', ['a', 'b'.repeat(6)], null, small), /string length 24 exceeds limit of 20/);
});

test('count: non-overlapping occurrences within start/end', () => {
  const rows: Array<[string, unknown[], number]> = [
    ['aaaa', ['aa'], 2], ['aaaa', ['a', 1], 3], ['aaaa', ['a', 1, -1], 2], ['abc', [''], 4], ['abc', ['', 1, 2], 2],
    ['abc', ['', 2, 1], 0], ['abcabc', ['bc', -3], 1], ['abcabc', ['abc', 0, 5], 1], ['x', ['y'], 0],
    ['aaaa', ['a', -100, 100], 4], ['aaaa', ['a', 5], 0], ['aaaa', ['', 4], 1], ['aaaa', ['a', null, -3], 1],
  ];
  for (const [s, args, want] of rows) assert.equal(method(s, 'count', args as never), want, `${s}.count(${args})`);
});

test('str.format copies literal text between fields in slices', () => {
  const rows: Array<[string, unknown[], string]> = [
    ['a{}b{}c', [1, 2], 'a1b2c'], ['{{}}', [], '{}'], ['}}{{x', [], '}{x'], ['{0}{0}', ['z'], 'zz'], ['', [], ''],
    ['no fields', [], 'no fields'], ['{}', ['only'], 'only'], ['tail {}!', [1], 'tail 1!'],
  ];
  for (const [f, args, want] of rows) assert.equal(method(f, 'format', args as never), want, f);
  throwsStar(() => method('x}', 'format', []), /single '}' in format/);
  throwsStar(() => method('x{', 'format', []), /unmatched '{' in format/);
});
