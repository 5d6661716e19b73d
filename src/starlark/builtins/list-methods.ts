/** Methods of list values (spec "List methods"). */
import { checkListMutable, insertAt, listAppend, listExtend, removeAt } from '../values/collections.ts';
import { equals } from '../values/compare.ts';
import { fail } from '../values/errors.ts';
import { resolveIndex } from '../values/indexing.ts';
import { toArray } from '../values/iter.ts';
import type { List, Value } from '../values/value.ts';
import { asInt, positional } from './args.ts';
import type { MethodTable } from './methods.ts';

/** Clamps an optional start/end argument of index() to [0, n]. */
function bound(v: Value | undefined, n: number, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  let i = asInt('index', 'start', v);
  if (i < 0) i += n;
  return i < 0 ? 0 : i > n ? n : i;
}

export const listMethods: MethodTable = {
  append(thread, args, kwargs, recv) {
    if (args.length !== 1 || kwargs !== null) positional('append', args, kwargs, 1, 1);
    listAppend(thread, recv as List, args[0]!);
    return null;
  },
  clear(_thread, args, kwargs, recv) {
    positional('clear', args, kwargs, 0, 0);
    const l = recv as List;
    checkListMutable(l, 'clear');
    l.elems.length = 0;
    return null;
  },
  extend(thread, args, kwargs, recv) {
    positional('extend', args, kwargs, 1, 1);
    const l = recv as List;
    const items = toArray(thread, args[0]!, 'extend');
    listExtend(thread, l, items === l.elems ? items.slice() : items);
    return null;
  },
  index(thread, args, kwargs, recv) {
    positional('index', args, kwargs, 1, 3);
    const e = (recv as List).elems;
    const hi = bound(args[2], e.length, e.length);
    for (let i = bound(args[1], e.length, 0); i < hi; i++) {
      if (equals(e[i]!, args[0]!)) {
        thread.step(i >> 4);
        return i;
      }
    }
    return fail('index: value not in list');
  },
  insert(thread, args, kwargs, recv) {
    positional('insert', args, kwargs, 2, 2);
    const l = recv as List;
    checkListMutable(l, 'insert into');
    thread.checkList(l.elems.length + 1);
    const n = l.elems.length;
    let i = asInt('insert', 'index', args[0]!);
    if (i < 0) i += n;
    i = i < 0 ? 0 : i > n ? n : i;
    thread.step((n - i) >> 4);
    insertAt(l.elems, i, args[1]!);
    return null;
  },
  pop(thread, args, kwargs, recv) {
    positional('pop', args, kwargs, 0, 1);
    const l = recv as List;
    checkListMutable(l, 'pop from');
    const n = l.elems.length;
    if (args.length === 0) {
      if (n === 0) fail('pop: index -1 out of range: empty list');
      return l.elems.pop()!;
    }
    const i = resolveIndex(asInt('pop', 'index', args[0]!), n, l);
    thread.step((n - i) >> 4);
    return removeAt(l.elems, i);
  },
  remove(thread, args, kwargs, recv) {
    positional('remove', args, kwargs, 1, 1);
    const l = recv as List;
    checkListMutable(l, 'remove from');
    const e = l.elems;
    for (let i = 0; i < e.length; i++) {
      if (equals(e[i]!, args[0]!)) {
        thread.step(e.length >> 4);
        removeAt(e, i);
        return null;
      }
    }
    return fail('remove: element not found');
  },
};
