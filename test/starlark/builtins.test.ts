import assert from 'node:assert/strict';
import { test } from 'node:test';
import { universe } from '../../src/starlark/builtins/universe.ts';
import { runModule } from '../../src/starlark/index.ts';
import { json } from '../../src/starlark/lib/json.ts';
import { getAttr } from '../../src/starlark/builtins/attrs.ts';
import { getIndex, repr, slice, str, truth, typeName } from '../../src/starlark/values/ops.ts';
import { Bytes, Dict, StarSet, type Value } from '../../src/starlark/values/value.ts';
import { builtin, eqRepr, f, list, method, thread, throwsStar, tuple } from './helpers.ts';

const t = thread();
const bytes = (s: string): Bytes => builtin('bytes', [s]) as Bytes;

test('type, truth, repr and str of every kind of value', () => {
  const rows: Array<[Value, string, boolean, string]> = [
    [null, 'NoneType', false, 'None'],
    [true, 'bool', true, 'True'],
    [0, 'int', false, '0'],
    [builtin('int', ['123456789012345678901234567890']), 'int', true, '123456789012345678901234567890'],
    [f(0), 'float', false, '0.0'],
    [f(-1.5), 'float', true, '-1.5'],
    ['', 'string', false, '""'],
    ['a"b', 'string', true, '"a\\"b"'],
    [bytes(''), 'bytes', false, 'b""'],
    [bytes('\x00é'), 'bytes', true, 'b"\\x00é"'],
    [list(), 'list', false, '[]'],
    [tuple(1), 'tuple', true, '(1,)'],
    [new Dict(), 'dict', false, '{}'],
    [new StarSet(), 'set', false, 'set([])'],
    [builtin('range', [0]), 'range', false, 'range(0)'],
    [builtin('range', [1, 5, 2]), 'range', true, 'range(1, 5, 2)'],
    [universe.len!, 'builtin_function_or_method', true, '<built-in function len>'],
    [getAttr(t, list(), 'append'), 'builtin_function_or_method', true, '<built-in method append of list value>'],
    [json, 'module', true, '<module "json">'],
  ];
  for (const [v, type, truthy, text] of rows) {
    assert.equal(typeName(v), type, text);
    assert.equal(truth(v), truthy, text);
    assert.equal(builtin('bool', [v]), truthy, text);
    assert.equal(repr(v), text);
  }
  assert.equal(str('a"b'), 'a"b');
  assert.equal(str(bytes('hé')), 'hé');
});

test('getattr, hasattr, dir', () => {
  assert.equal(builtin('hasattr', ['', 'split']), true);
  assert.equal(builtin('hasattr', [json, 'encode']), true);
  assert.equal(builtin('getattr', [list(), 'nope', 42]), 42);
  throwsStar(() => builtin('getattr', [1, 'x']), /int has no \.x field or method/);
  eqRepr(slice(builtin('dir', [new Dict()]), null, 3, null), '["clear", "get", "items"]');
  eqRepr(builtin('dir', [json]), '["decode", "encode", "encode_indent", "indent"]');
  eqRepr(builtin('dir', [null]), '[]');
});

test('bytes: construction, indexing, slicing, membership, elems', () => {
  const b = bytes('goodbye');
  eqRepr(getIndex(b, 0), 'b"g"');
  eqRepr(getIndex(b, -1), 'b"e"');
  eqRepr(slice(b, null, null, 2), 'b"gobe"');
  eqRepr(builtin('list', [method(b, 'elems')]), '[103, 111, 111, 100, 98, 121, 101]');
  eqRepr(builtin('bytes', [method(b, 'elems')]), 'b"goodbye"');
  assert.equal(builtin('len', [bytes('世')]), 3);
  eqRepr(str(builtin('bytes', [list(0xe4, 0xb8)])), '"��"'); // one U+FFFD per invalid byte, as Go
  throwsStar(() => builtin('bytes', [1]), /want string, bytes, or iterable of ints/);
  throwsStar(() => builtin('ord', [bytes('ab')]), /ord: bytes has length 2, want 1/);
  assert.equal(builtin('ord', [bytes('a')]), 97);
});

test('dict.get and dict.update forms', () => {
  const d = builtin('dict', [list(tuple('a', 1))], [['b', 2]]) as Dict;
  assert.equal(method(d, 'get', ['a']), 1);
  assert.equal(method(d, 'get', ['z']), null);
  assert.equal(method(d, 'get', ['z', 0]), 0);
  method(d, 'update', [builtin('dict', [], [['c', 3]])], [['d', 4]]);
  eqRepr(d, '{"a": 1, "b": 2, "c": 3, "d": 4}');
  throwsStar(() => method(d, 'update', [list(tuple(1, 2, 3))]), /has length 3, want 2/);
  eqRepr(method(d, 'values'), '[1, 2, 3, 4]');
  throwsStar(() => method(d, 'get', [list()]), /get: unhashable type: list/);
});

test('module attributes never expose inherited JS properties', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    throwsStar(() => getAttr(t, json, name), /module has no \.\S+ field or method/);
    assert.equal(builtin('hasattr', [json, name]), false);
  }
});

test('enumerate and zip (loops instead of closures) and builtins called directly by compiled code', () => {
  eqRepr(builtin('enumerate', [list('a', 'b')]), '[(0, "a"), (1, "b")]');
  eqRepr(builtin('enumerate', [list('a')], [['start', 5]]), '[(5, "a")]');
  eqRepr(builtin('zip', [list(1, 2, 3), list('a', 'b')]), '[(1, "a"), (2, "b")]');
  eqRepr(builtin('zip', [list(1), list(2), list(3, 4)]), '[(1, 2, 3)]');
  eqRepr(builtin('zip', []), '[]');
  throwsStar(() => builtin('zip', [list(1), 2]), /zip: argument #2 is not iterable: int/);
  const out: string[] = [];
  runModule('print(len("ab"), int("42"), min(3, 1), zip([1], [2]), type(None), hash("a"))', { print: (l) => out.push(l) });
  assert.deepEqual(out, ['2 42 1 [(1, 2)] NoneType 97']);
  assert.throws(() => runModule('x = int("4x")'), /int: invalid literal with base 10: 4x/);
});
