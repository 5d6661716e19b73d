import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getAttr } from '../../src/starlark/builtins/attrs.ts';
import { getIndex, mod, repr, slice } from '../../src/starlark/values/ops.ts';
import { Dict, List } from '../../src/starlark/values/value.ts';
import { builtin, eqRepr, f, list, method, thread, throwsStar, tuple } from './helpers.ts';

const t = thread();

test('split and rsplit, with and without separators and limits', () => {
  const s = ' a bc\n  def \t  ghi';
  const rows: Array<[string, string, unknown[], string]> = [
    ['a.b.c.d', 'split', ['.', 1], '["a", "b.c.d"]'],
    ['a.b.c.d', 'rsplit', ['.', 2], '["a.b", "c", "d"]'],
    ['a.b.c.d', 'split', ['.', 0], '["a.b.c.d"]'],
    [s, 'split', [], '["a", "bc", "def", "ghi"]'],
    [s, 'split', [null, 1], '["a", "bc\\n  def \\t  ghi"]'],
    [s, 'rsplit', [null, 1], '[" a bc\\n  def", "ghi"]'],
    [s, 'rsplit', [null, 3], '[" a", "bc", "def", "ghi"]'],
    ['  aa  bb  cc  ', 'rsplit', [null, 0], '["  aa  bb  cc"]'],
    ['--aa--bb--cc--', 'split', ['-', -1], '["", "", "aa", "", "bb", "", "cc", "", ""]'],
    ['  ', 'split', [], '[]'],
  ];
  for (const [recv, name, args, want] of rows) eqRepr(method(recv, name, args as never), want, `${repr(recv)}.${name}(${args})`);
});

test('strip, partition, replace, find, count', () => {
  eqRepr(method(' \tfoo\n ', 'strip', ['']), '"foo"');
  eqRepr(method('blah.h', 'rstrip', ['b.h']), '"bla"');
  eqRepr(method('foo/bar/wiz', 'rpartition', ['/']), '("foo/bar", "/", "wiz")');
  eqRepr(method('foo/bar/wiz', 'partition', ['.']), '("foo/bar/wiz", "", "")');
  throwsStar(() => method('x', 'partition', ['']), /empty separator/);
  eqRepr(method('banana', 'replace', ['a', 'o', 1]), '"bonana"');
  eqRepr(method('ab', 'replace', ['', '-']), '"-a-b-"');
  eqRepr(method('foofoo', 'rfind', ['oo', 1, 4]), '1');
  eqRepr(method('foofoo', 'rfind', ['']), '6');
  eqRepr(method('banana', 'count', ['a', -4, -2]), '1');
  throwsStar(() => method('abc', 'index', ['z']), /substring not found/);
});

test('startswith/endswith accept tuples and ranges', () => {
  assert.equal(method('ABC', 'startswith', [tuple('a', 'A')]), true);
  assert.equal(method('abc', 'endswith', ['ab', null, -1]), true);
  throwsStar(() => method('123', 'startswith', [tuple(1, 2)]), /got int, for element 0/);
  throwsStar(() => method('123', 'endswith', [list('3')]), /got list/);
});

test('case conversion and predicates', () => {
  eqRepr(method('hElLo, WoRlD!', 'capitalize'), '"Hello, world!"');
  eqRepr(method('¿Por qué?', 'title'), '"¿Por Qué?"');
  eqRepr(method('ǉubović', 'title'), '"ǈubović"');
  const preds = ['isalnum', 'isalpha', 'isdigit', 'islower', 'isspace', 'istitle', 'isupper'];
  const table: Record<string, string> = {
    'Hello, World!': 'istitle', 'base64': 'isalnum islower', 'HAL-9000': 'isupper', '': '', '\n\t\r': 'isspace',
    '123': 'isalnum isdigit', 'ǅ ǈ': 'istitle', 'ǄǇ': 'isalnum isalpha isupper',
  };
  for (const [s, want] of Object.entries(table)) {
    assert.equal(preds.filter((p) => method(s, p) === true).join(' '), want, s);
  }
});

test('join checks element types and splitlines keeps ends on request', () => {
  eqRepr(method(',', 'join', [list('a', 'b')]), '"a,b"');
  throwsStar(() => method('', 'join', [list('one', 2)]), /join: in list, want string, got int/);
  throwsStar(() => method(',', 'join', ['abc']), /got string, want iterable/);
  eqRepr(method('\nabc\ndef\n', 'splitlines', [true]), '["\\n", "abc\\n", "def\\n"]');
  eqRepr(method('a\n\nb', 'splitlines'), '["a", "", "b"]');
});

test('% formatting', () => {
  eqRepr(mod('A %d %x Z', tuple(123, 456), t), '"A 123 1c8 Z"');
  eqRepr(mod('%s %r', tuple('hi', 'hi'), t), '"hi \\"hi\\""');
  eqRepr(mod('%o %X %i', tuple(-95, 255, 7), t), '"-137 FF 7"');
  eqRepr(mod('%c%c', tuple(65, 'α'), t), '"Aα"');
  eqRepr(mod('%%d %d', 1, t), '"%d 1"');
  const d = builtin('dict', [], [['foo', 123], ['bar', 'hi']]) as Dict;
  eqRepr(mod('A %(foo)d %(bar)s Z', d, t), '"A 123 hi Z"');
  throwsStar(() => mod('%d %d', 1, t), /not enough arguments for format string/);
  throwsStar(() => mod('', 1, t), /too many arguments for format string/);
  throwsStar(() => mod('%d', true, t), /cannot convert bool to int/);
  throwsStar(() => mod('%e', '1', t), /requires float, not string/);
});

test('str.format', () => {
  eqRepr(method('a{x}b{y}c{}', 'format', [1], [['x', 2], ['y', 3]]), '"a2b3c1"');
  eqRepr(method('{0000000000001}', 'format', [0, 1]), '"1"');
  eqRepr(method('a{{b}}c{!r}', 'format', ['q']), '"a{b}c\\"q\\""');
  const errs: Array<[string, RegExp]> = [
    ['{-1}', /keyword -1 not found/], ['a{}b{1}c', /cannot switch from automatic/], ['{x!}', /unknown conversion/],
    ['{a.b}', /syntax x.y is not supported/], ['{ {} }', /nested replacement fields/], ['{}}', /single '}'/],
    ['}}{', /unmatched '\{'/], ['{:5}', /format spec features not supported/], ['{9}', /tuple index out of range/],
  ];
  for (const [fmt, re] of errs) throwsStar(() => method(fmt, 'format', [1, 2]), re);
});

test('indexing, slicing, repr and the string views', () => {
  eqRepr(slice('banana', 7, null, -2), '"aaa"');
  eqRepr(slice('abcd', 4, 0, -1), '"dcb"');
  eqRepr(slice('abc', -4, null, null), '"abc"');
  throwsStar(() => slice('banana', f(1.5), null, null), /invalid start index: got float, want int/);
  throwsStar(() => getIndex('abc', 3), /string index 3 out of range \[-3:2\]/);
  eqRepr(getIndex('abc', -1), '"c"');
  eqRepr('\x00\t"\\\u200d😿', '"\\x00\\t\\"\\\\\\u200d😿"');
  eqRepr(builtin('list', [method('a😿', 'codepoints')]), '["a", "😿"]');
  eqRepr(method('ab', 'elem_ords'), '"ab".elem_ords()');
  eqRepr(builtin('type', [method('ab', 'codepoint_ords')]), '"string.codepoints"');
  throwsStar(() => getAttr(t, '', 'fin'), /no \.fin field.*did you mean \.find/);
  eqRepr(builtin('hash', ['hello']), '99162322');
  eqRepr(builtin('ord', ['😿']), '128575');
  throwsStar(() => builtin('chr', [0x110000]), /out of range \(>0x10FFFF\)/);
  eqRepr(method('Apricot', 'removesuffix', ['cot']), '"Apri"');
});

test('whitespace split and strip stay linear on adversarial input', () => {
  const big = 'a '.repeat(200000);
  const start = performance.now();
  assert.equal((method(big, 'split', [null, 100000]) as { elems: unknown[] }).elems.length, 100001);
  assert.equal((method(big, 'rsplit', [null, 100000]) as { elems: unknown[] }).elems.length, 100001);
  assert.equal(method('ab'.repeat(100000), 'strip', ['ab'.repeat(100000)]), '');
  assert.ok(performance.now() - start < 2000, 'linear time');
  eqRepr(method('  a b  c ', 'split', [null, 1]), '["a", "b  c "]');
  eqRepr(method('  a b  c ', 'rsplit', [null, 1]), '["  a b", "c"]');
});

test('join of many parts (joined in chunks) equals one Array.join', () => {
  for (const n of [0, 1, 4095, 4096, 4097, 8192, 10001]) {
    const parts = Array.from({ length: n }, (_v, i) => `p${i}`);
    for (const sep of ['', ',', '--']) assert.equal(method(sep, 'join', [new List(parts)]), parts.join(sep), `n=${n} sep=${sep}`);
  }
});
