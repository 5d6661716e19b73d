/** Methods of set values (enabled by the allowSet option). */
import { checkTableMutable, tableClear, tableDelete, tableSet } from '../values/collections.ts';
import { fail } from '../values/errors.ts';
import { keyOf } from '../values/hashing.ts';
import { iterableElems } from '../values/iter.ts';
import { typeName } from '../values/kinds.ts';
import { copySet, setDifference, setIntersection, setSymmetricDifference } from '../values/setops.ts';
import type { Thread } from '../values/thread.ts';
import { StarSet, type BuiltinFn, type Kwargs, type Value } from '../values/value.ts';
import { positional } from './args.ts';
import { named } from './dict-methods.ts';
import type { MethodTable } from './methods.ts';

/** Each argument as a set ("argument #2 is not iterable: int"); no keywords allowed. */
function argSets(thread: Thread, args: Value[], kwargs: Kwargs | null): StarSet[] {
  if (kwargs !== null && kwargs.length > 0) fail('does not accept keyword arguments');
  return args.map((a, i) => {
    if (a instanceof StarSet) return a;
    const elems = iterableElems(thread, a);
    if (elems === null) fail(`argument #${i + 1} is not iterable: ${typeName(a)}`);
    const s = new StarSet();
    for (const e of elems) tableSet(thread, s, e, null);
    return s;
  });
}

/** A method taking any number of iterables and folding them into a new set. */
function fold(name: string, step: (thread: Thread, acc: StarSet, other: StarSet) => StarSet): BuiltinFn {
  return named(name, (thread, args, kwargs, recv) => {
    let acc = copySet(recv as StarSet);
    for (const other of argSets(thread, args, kwargs)) acc = step(thread, acc, other);
    return acc;
  });
}

function subsetOf(x: StarSet, y: StarSet): boolean {
  for (const k of x.keys()) if (!y.has(k)) return false;
  return true;
}

function relation(name: string, test: (self: StarSet, other: StarSet) => boolean): BuiltinFn {
  return named(name, (thread, args, kwargs, recv) => {
    positional(name, args, kwargs, 1, 1);
    return test(recv as StarSet, argSets(thread, args, kwargs)[0]!);
  });
}

export const setMethods: MethodTable = {
  add: named('add', (thread, args, kwargs, recv) => {
    positional('add', args, kwargs, 1, 1);
    tableSet(thread, recv as StarSet, args[0]!, null);
    return null;
  }),
  clear: named('clear', (_thread, args, kwargs, recv) => {
    positional('clear', args, kwargs, 0, 0);
    tableClear(recv as StarSet); // clearing an empty frozen set is allowed

    return null;
  }),
  difference: fold('difference', (_t, acc, o) => setDifference(acc, o)),
  discard: named('discard', (_thread, args, kwargs, recv) => {
    positional('discard', args, kwargs, 1, 1);
    keyOf(args[0]!); // an unhashable operand is an error even when absent
    tableDelete(recv as StarSet, args[0]!);
    return null;
  }),
  intersection: fold('intersection', (_t, acc, o) => setIntersection(acc, o)),
  issubset: relation('issubset', (self, other) => subsetOf(self, other)),
  issuperset: relation('issuperset', (self, other) => subsetOf(other, self)),
  pop: named('pop', (_thread, args, kwargs, recv) => {
    positional('pop', args, kwargs, 0, 0);
    const s = recv as StarSet;
    checkTableMutable(s, 'delete from');
    const mk = s.firstKey();
    if (mk === undefined) fail('empty set');
    const elem = s.origKey(mk);
    s.delete(mk);
    return elem;
  }),
  remove: named('remove', (_thread, args, kwargs, recv) => {
    positional('remove', args, kwargs, 1, 1);
    if (tableDelete(recv as StarSet, args[0]!) === undefined) fail('missing key');
    return null;
  }),
  symmetric_difference: named('symmetric_difference', (thread, args, kwargs, recv) => {
    positional('symmetric_difference', args, kwargs, 1, 1);
    return setSymmetricDifference(thread, recv as StarSet, argSets(thread, args, kwargs)[0]!);
  }),
  union: fold('union', (thread, acc, o) => {
    for (const mk of o.keys()) tableSet(thread, acc, o.origKey(mk), null);
    return acc;
  }),
  update: named('update', (thread, args, kwargs, recv) => {
    const s = recv as StarSet;
    checkTableMutable(s, 'insert into');
    for (const other of argSets(thread, args, kwargs)) for (const mk of other.keys()) tableSet(thread, s, other.origKey(mk), null);
    return null;
  }),
};
