/** Methods of dict values (spec "Dict methods"). */
import { checkTableMutable, tableClear, tableDelete, tableEntries, tableSet } from '../values/collections.ts';
import { fail, StarlarkError } from '../values/errors.ts';
import { keyOf } from '../values/hashing.ts';
import { tableKeys, toArray } from '../values/iter.ts';
import { typeName } from '../values/kinds.ts';
import type { Thread } from '../values/thread.ts';
import { Dict, List, Tuple, type BuiltinFn, type Kwargs, type Value } from '../values/value.ts';
import { positional } from './args.ts';
import type { MethodTable } from './methods.ts';

/** Prefixes errors raised by `fn` with the method name ("pop: ..."), as starlark-go does. */
export function named(name: string, fn: BuiltinFn): BuiltinFn {
  return (thread, args, kwargs, recv) => {
    try {
      return fn(thread, args, kwargs, recv);
    } catch (e) {
      if (e instanceof StarlarkError && !e.msg.startsWith(name + ':')) throw new StarlarkError(`${name}: ${e.msg}`);
      throw e;
    }
  };
}

/**
 * Adds the entries of a dict update argument to `d`: a dict, or an iterable
 * of 2-element iterables; then the keyword arguments (shared with dict()).
 */
export function dictUpdate(thread: Thread, d: Dict, fn: string, args: Value[], kwargs: Kwargs | null): void {
  const src = args[0];
  if (src instanceof Dict) {
    thread.step(src.size);
    for (const [k, v] of tableEntries(src)) tableSet(thread, d, k, v);
  } else if (src !== undefined) {
    const items = toArray(thread, src, fn);
    thread.step(items.length);
    for (let i = 0; i < items.length; i++) {
      const pair = items[i]!;
      const kv = pair instanceof Tuple || pair instanceof List ? pair.elems : null;
      if (kv === null) fail(`${fn}: cannot convert ${typeName(pair)} to a pair: not iterable (${typeName(pair)})`);
      if (kv.length !== 2) fail(`${fn}: dictionary update sequence element #${i} has length ${kv.length}, want 2`);
      tableSet(thread, d, kv[0]!, kv[1]!);
    }
  }
  if (kwargs !== null) for (const [k, v] of kwargs) tableSet(thread, d, k, v);
}

export const dictMethods: MethodTable = {
  clear: named('clear', (_thread, args, kwargs, recv) => {
    positional('clear', args, kwargs, 0, 0);
    checkTableMutable(recv as Dict, 'clear'); // even an empty frozen dict (unlike sets)
    tableClear(recv as Dict);
    return null;
  }),
  get(_thread, args, kwargs, recv) {
    if (args.length < 1 || args.length > 2 || kwargs !== null) positional('get', args, kwargs, 1, 2);
    let v;
    try {
      v = (recv as Dict).get(keyOf(args[0]!));
    } catch (err) {
      throw err instanceof StarlarkError ? new StarlarkError(`get: ${err.msg}`) : err;
    }
    return v !== undefined ? v : args.length > 1 ? args[1]! : null;
  },
  items: (thread, args, kwargs, recv) => {
    positional('items', args, kwargs, 0, 0);
    const d = recv as Dict;
    thread.step(d.size);
    const out = new Array<Value>(d.size);
    let i = 0;
    for (const [mk, v] of d.entries()) out[i++] = new Tuple([d.origKey(mk), v]);
    return new List(out);
  },
  keys: (thread, args, kwargs, recv) => {
    positional('keys', args, kwargs, 0, 0);
    thread.step((recv as Dict).size);
    return new List(tableKeys(recv as Dict));
  },
  pop: named('pop', (_thread, args, kwargs, recv) => {
    positional('pop', args, kwargs, 1, 2);
    const v = tableDelete(recv as Dict, args[0]!);
    if (v !== undefined) return v;
    return args.length > 1 ? args[1]! : fail('missing key');
  }),
  popitem: named('popitem', (_thread, args, kwargs, recv) => {
    positional('popitem', args, kwargs, 0, 0);
    const d = recv as Dict;
    checkTableMutable(d, 'delete from');
    const mk = d.firstKey();
    if (mk === undefined) fail('empty dict');
    const entry = new Tuple([d.origKey(mk), d.get(mk)!]);
    d.delete(mk);
    return entry;
  }),
  setdefault: named('setdefault', (thread, args, kwargs, recv) => {
    positional('setdefault', args, kwargs, 1, 2);
    const d = recv as Dict;
    const old = d.get(keyOf(args[0]!));
    if (old !== undefined) return old;
    const v = args.length > 1 ? args[1]! : null;
    tableSet(thread, d, args[0]!, v);
    return v;
  }),
  update: named('update', (thread, args, kwargs, recv) => {
    if (args.length > 1) fail(`got ${args.length} arguments, want at most 1`);
    dictUpdate(thread, recv as Dict, 'update', args, kwargs);
    return null;
  }),
  values: (thread, args, kwargs, recv) => {
    positional('values', args, kwargs, 0, 0);
    const d = recv as Dict;
    thread.step(d.size);
    return new List(d.values());
  },
};
