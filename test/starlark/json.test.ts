import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json } from '../../src/starlark/lib/json.ts';
import { math } from '../../src/starlark/lib/math.ts';
import { call, dictSet, repr, typeName } from '../../src/starlark/values/ops.ts';
import { Dict, type Kwargs, type Value } from '../../src/starlark/values/value.ts';
import { builtin, eqRepr, f, list, method, thread, throwsStar, tuple } from './helpers.ts';

const t = thread();
const j = (name: string, args: Value[], kwargs: Kwargs | null = null): Value => call(t, json.members[name]!, args, kwargs);
const m = (name: string, ...args: Value[]): Value => call(t, math.members[name]!, args, null);

test('json.encode', () => {
  const rows: Array<[Value, string]> = [
    [null, 'null'], [true, 'true'], [-123, '-123'], [builtin('int', ['3539537889086624823140625']), '3539537889086624823140625'],
    [f(12.345e67), '1.2345e+68'], [f(1), '1.0'], ['hello', '"hello"'], [list(1, 2, 3), '[1,2,3]'], [tuple(1, 2), '[1,2]'],
    [builtin('range', [3]), '[0,1,2]'], [builtin('dict', [], [['y', 'two'], ['x', 1]]), '{"x":1,"y":"two"}'],
  ];
  for (const [v, want] of rows) assert.equal(j('encode', [v]), want);
  throwsStar(() => j('encode', [f(NaN)]), /json.encode: cannot encode non-finite float nan/);
  const bad = new Dict();
  dictSet(t, bad, 1, 'two');
  throwsStar(() => j('encode', [bad]), /dict has int key, want string/);
  const rec = new Dict();
  dictSet(t, rec, 'r', rec);
  throwsStar(() => j('encode', [rec]), /json.encode: in dict key "r": cycle in JSON structure/);
  const nested = list(1, builtin('dict', [], [['x', json]]));
  throwsStar(() => j('encode', [nested]), /at list index 1: in dict key "x": cannot encode module as JSON/);
});

test('json.decode keeps ints exact and floats as floats', () => {
  eqRepr(j('decode', ['{"one": 1, "two": [2.0, -0, 3539537889086624823140625]}']), '{"one": 1, "two": [2.0, 0, 3539537889086624823140625]}');
  eqRepr(j('decode', ['"\\ud83d\\ude39\\u0123"']), '"😹ģ"');
  assert.equal(typeName(j('decode', ['0e+1'])), 'float');
  const errs: Array<[string, RegExp]> = [
    ['truefalse', /json.decode: at offset 4, unexpected character 'f' after value/], ['"abc', /unclosed string literal/],
    ['"ab\\gc"', /invalid.*escape/], ["'abc'", /unexpected character '\\''/], ['-00', /invalid number: -00/],
    ['1e1e1', /invalid number: 1e1e1/], ['[1, 2 ', /unexpected end of file/], ['[1, 2}', /got '}', want ',' or ']'/],
    ['{"one" 1', /after object key, got '1', want ':'/], ['{"one": 1 "two": 2', /in object, got '"', want ',' or '}'/],
  ];
  for (const [s, re] of errs) throwsStar(() => j('decode', [s]), re);
  assert.equal(j('decode', ['{"a":', 'dflt']), 'dflt');
  assert.equal(j('decode', ['{"a":'], [['default', null]]), null);
});

test('json round trips and indentation', () => {
  const all = Array.from({ length: 0xd800 }, (_v, i) => String.fromCharCode(i)).join('');
  assert.equal(j('decode', [j('encode', [all])]), all);
  const s = j('encode', [builtin('dict', [], [['x', 1], ['y', list('one', 'two')]])]);
  assert.equal(j('indent', [s]), '{\n\t"x": 1,\n\t"y": [\n\t\t"one",\n\t\t"two"\n\t]\n}');
  assert.equal(j('indent', [s], [['prefix', '¶'], ['indent', '–']]), '{\n¶–"x": 1,\n¶–"y": [\n¶––"one",\n¶––"two"\n¶–]\n¶}');
  assert.equal(j('encode_indent', [list()]), '[]');
  throwsStar(() => j('indent', ['!@#']), /invalid character/);
  throwsStar(() => j('encode_indent', ['foo', 'bar']), /json.encode_indent: got 2 arguments, want 1/);
});

test('math', () => {
  eqRepr(m('ceil', f(-0.5)), '0');
  eqRepr(m('floor', f(-0.5)), '-1');
  throwsStar(() => m('ceil', f(Infinity)), /cannot convert float infinity to integer/);
  eqRepr(m('round', f(-0.5)), '-1.0');
  eqRepr(m('round', f(0.49999999999999994)), '0.0');
  eqRepr(m('remainder', 3, 5), '-2.0');
  eqRepr(m('mod', f(1), f(Infinity)), '1.0');
  eqRepr(m('copysign', -1, f(NaN)), '1.0');
  eqRepr(m('gamma', 5), '24.0');
  eqRepr(m('log', 10, 10), '1.0');
  throwsStar(() => m('log', 2, 1), /division by zero/);
  throwsStar(() => m('exp', '0'), /got string, want float or int/);
  eqRepr(method(list(), 'clear'), 'None');
});

test('json.decode edge cases: out-of-range floats, duplicate and index-like keys, __proto__', () => {
  throwsStar(() => j('decode', ['[1e400]']), /invalid number: 1e400/);
  eqRepr(j('decode', ['{"a": 1, "a": 2.0}']), '{"a": 2.0}');
  eqRepr(j('decode', ['{"b": 1, "10": 2, "9": 3}']), '{"b": 1, "10": 2, "9": 3}');
  eqRepr(j('decode', ['{"__proto__": 1}']), '{"__proto__": 1}');
  // Escaped quotes and backslashes inside strings do not hide or invent number tokens.
  const text = String.raw`["a\\", 1.0, "b\"c 2.5", 2, "\\\"x", 3.5, "1.5\\", 4]`;
  eqRepr(j('decode', [text]), String.raw`["a\\", 1.0, "b\"c 2.5", 2, "\\\"x", 3.5, "1.5\\", 4]`);
});

test('json.decode limits nesting depth with a clear error', () => {
  throwsStar(() => j('decode', ['['.repeat(100000)]), /nesting too deep/);
  throwsStar(() => j('decode', ['['.repeat(2000) + ']'.repeat(2000)]), /nesting too deep/);
  assert.equal(typeName(j('decode', ['['.repeat(999) + ']'.repeat(999)])), 'list');
});

test('json.encode: the native fast path writes what the piecewise encoder writes', () => {
  // A lone surrogate anywhere makes the fast path decline, so [v, "\ud800"] is always written piecewise.
  const slow = (v: Value): string => {
    const s = j('encode', [list(v, '\ud800')]) as string;
    return s.slice(1, s.length - '"\ufffd"'.length - 2);
  };
  const dict = (...kv: Array<[string, Value]>): Value => builtin('dict', [], kv);
  const floats = [0, -0, 1, 1.5, -2.5, 1e-4, 9.99e-5, 0.1, 123456.789, 999999.9, 1e6, 1e15, 1e16, 1e21, 1e22, 1.7976931348623157e308, 5e-324];
  const values: Value[] = [
    ...floats.map(f), 0, -5, 2 ** 53 - 1, builtin('int', ['18446744073709551616']), builtin('int', ['-1180591620717411303424']),
    '', 'a"b\\c/', '\n\t\x00\x1f\x7f', 'é世😹', '<>&\u2028', true, false, null, tuple(1, 'x'), list(),
    dict(['z', 1], ['a', list(f(2), dict())], ['m', null]), dict(['toJSON', 'x'], ['', 1], ['b', 2]),
    dict(['__proto__', 1]), dict(['0', 1], ['10', 2], ['01', 3]), dict(['\u0000k', 1], ['\uffffk', 2]), dict(['é', 1], ['z', 2], ['😹', 3]),
    dict(...Array.from({ length: 40 }, (_v, i): [string, Value] => [`k${(i * 7) % 40}`, i])),
  ];
  for (const v of values) assert.equal(j('encode', [v]), slow(v), repr(v));
});

test('json.encode stops at the string limit, also for shared substructures', () => {
  const small = thread({ limits: { maxStringLength: 1000 } });
  const enc = (v: Value): Value => call(small, json.members.encode!, [v], null);
  const s = 'x'.repeat(100);
  throwsStar(() => enc(list(...Array.from({ length: 20 }, () => s))), /exceeds limit of 1000/);
  let x: Value = list(s);
  for (let i = 0; i < 40; i++) x = list(x, x); // 2^40 leaves through sharing
  throwsStar(() => enc(x), /exceeds limit of 1000/);
  assert.equal(enc(list(...Array.from({ length: 5 }, () => s))), JSON.stringify(Array(5).fill(s)));
});
