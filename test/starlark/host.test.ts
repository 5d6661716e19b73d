import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getAttr } from '../../src/starlark/builtins/attrs.ts';
import {
  add, augmented, compare, contains, dictSet, equals, getIndex, iterate, keyOf, repr, setField, truth, typeName,
} from '../../src/starlark/values/ops.ts';
import { Dict, type HostValue, type Value } from '../../src/starlark/values/value.ts';
import { builtin, eqRepr, list, method, thread, throwsStar } from './helpers.ts';

const t = thread();

/** A host value exercising every hook: a point with x/y fields. */
class Point implements HostValue {
  readonly hostType = 'point';
  x: number;
  y: number;
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
  getAttr(name: string): Value | undefined {
    return name === 'x' ? this.x : name === 'y' ? this.y : undefined;
  }
  attrNames(): string[] {
    return ['x', 'y'];
  }
  setField(name: string, v: Value): void {
    if (name !== 'x' || typeof v !== 'number') throw new Error('unreachable in these tests');
    this.x = v;
  }
  truth(): boolean {
    return this.x !== 0 || this.y !== 0;
  }
  repr(): string {
    return `point(${this.x}, ${this.y})`;
  }
  hashKey(): string {
    return `${this.x},${this.y}`;
  }
  equals(o: Value): boolean {
    return o instanceof Point && o.x === this.x && o.y === this.y;
  }
  compare(o: Value): number {
    return this.x - (o as Point).x;
  }
  binary(op: string, o: Value): Value | undefined {
    return op === '+' && o instanceof Point ? new Point(this.x + o.x, this.y + o.y) : undefined;
  }
  iterate(): () => Value | undefined {
    const items = [this.x, this.y];
    return () => items.shift();
  }
  getIndex(i: Value): Value {
    return i === 0 ? this.x : this.y;
  }
}

test('host values: type, attributes, truth, repr, operators', () => {
  const p = new Point(1, 2);
  assert.equal(typeName(p), 'point');
  assert.equal(getAttr(t, p, 'y'), 2);
  throwsStar(() => getAttr(t, p, 'z'), /point has no \.z field or method/);
  throwsStar(() => getAttr(t, p, 'X'), /did you mean \.x\?/);
  setField(p, 'x', 5);
  assert.equal(p.x, 5);
  assert.equal(truth(new Point(0, 0)), false);
  eqRepr(list(p), '[point(5, 2)]');
  eqRepr(add(p, new Point(1, 1), t), 'point(6, 3)');
  throwsStar(() => add(p, 1, t), /unknown binary op: point \+ int/);
  assert.ok(compare('<', new Point(1, 0), new Point(2, 0)));
  assert.ok(equals(new Point(1, 2), new Point(1, 2)));
  assert.equal(getIndex(p, 0), 5);
  eqRepr(builtin('dir', [p]), '["x", "y"]');
  assert.equal(builtin('hasattr', [p, 'x']), true);
});

test('hashable host values work as dict keys; iteration hook', () => {
  const d = new Dict();
  dictSet(t, d, new Point(1, 2), 'a');
  assert.equal(getIndex(d, new Point(1, 2)), 'a');
  assert.equal(keyOf(new Point(1, 2)), keyOf(new Point(1, 2)));
  eqRepr(builtin('list', [new Point(3, 4)]), '[3, 4]');
  const it = iterate(t, new Point(7, 8));
  assert.equal(it.next(), 7);
  it.done();
  eqRepr(augmented('+', list(1), new Point(2, 3), t), '[1, 2, 3]');
});

test('sets compare by inclusion; dict |= updates in place', () => {
  const s = (...v: Value[]) => builtin('set', [list(...v)]);
  assert.ok(compare('<=', s(1, 2), s(1, 2, 3)));
  assert.ok(compare('<', s(1, 2), s(1, 2, 3)));
  assert.ok(!compare('<', s(1, 2, 3), s(1, 2, 3)));
  assert.ok(compare('>=', s(1, 2, 3), s(1, 2, 3)));
  assert.ok(!compare('>', s(1, 2, 4), s(1, 2)) || contains(s(1, 2, 4), 4));
  const d = builtin('dict', [], [['a', 1]]) as Dict;
  const alias = d;
  augmented('|', d, builtin('dict', [], [['b', 2]]), t);
  eqRepr(alias, '{"a": 1, "b": 2}');
  throwsStar(() => augmented('|', d, list(), t), /unknown binary op: dict \| list/);
  throwsStar(() => builtin('min', [list(1)], [['keg', 1]]), /unexpected keyword argument keg \(did you mean key\?\)/);
  throwsStar(() => method('a\nb', 'splitlines', [1]), /got int, want bool/);
  throwsStar(() => builtin('dict', [], [['a', 1], ['a', 2]]), /dict: duplicate keyword arg: "a"/);
  assert.equal(repr(builtin('chr', [0xd800])), '"�"');
});
