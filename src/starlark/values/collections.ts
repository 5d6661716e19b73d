/**
 * Mutation primitives for lists, dicts and sets, with the frozen and
 * mutation-during-iteration checks and growth limits in one place.
 */
import { fail } from './errors.ts';
import { keyOf } from './hashing.ts';
import { tableKeys } from './iter.ts';
import { repr } from './repr.ts';
import type { Thread } from './thread.ts';
import { SMALL } from './hashtable.ts';
import { buildIndex } from './strindex.ts';
import { Dict, HashTable, List, type Value } from './value.ts';

/** Fails unless list `l` may be mutated; `verb` as in "cannot append to frozen list". */
export function checkListMutable(l: List, verb: string): void {
  if (l.frozen) fail(`cannot ${verb} frozen list`);
  if (l.itercount > 0) fail(`cannot ${verb} list during iteration`);
}

/** Fails unless the table may be mutated; `verb` as in "cannot insert into frozen hash table". */
export function checkTableMutable(t: HashTable, verb: string): void {
  if (t.frozen) fail(`cannot ${verb} frozen hash table`);
  if (t.itercount > 0) fail(`cannot ${verb} hash table during iteration`);
}

/** l.append(v). */
export function listAppend(thread: Thread, l: List, v: Value): void {
  if (l.frozen || l.itercount > 0) checkListMutable(l, 'append to');
  if (l.elems.length >= thread.limits.maxListLength) thread.checkList(l.elems.length + 1);
  l.elems.push(v);
}

/** Appends every element of `items` (list += iterable, list.extend). */
export function listExtend(thread: Thread, l: List, items: Value[]): void {
  checkListMutable(l, 'extend');
  thread.checkList(l.elems.length + items.length);
  thread.step(items.length);
  const e = l.elems;
  for (let i = 0; i < items.length; i++) e.push(items[i]!);
}

/** Up to this many moved elements a loop beats splice (which also allocates a result array). */
const SHORT_MOVE = 256;

/** Removes and returns e[i] (0 <= i < e.length), moving the later elements down. */
export function removeAt(e: Value[], i: number): Value {
  const v = e[i]!;
  const last = e.length - 1;
  if (i === 0) e.shift();
  else if (last - i <= SHORT_MOVE) {
    for (let j = i; j < last; j++) e[j] = e[j + 1]!;
    e.pop();
  } else e.splice(i, 1);
  return v;
}

/** Inserts v at e[i] (0 <= i <= e.length), moving the later elements up. */
export function insertAt(e: Value[], i: number, v: Value): void {
  const n = e.length;
  if (i === 0) e.unshift(v);
  else if (i === n) e.push(v);
  else if (n - i <= SHORT_MOVE) {
    e.push(e[n - 1]!);
    for (let j = n - 1; j > i; j--) e[j] = e[j - 1]!;
    e[i] = v;
  } else e.splice(i, 0, v);
}

/** d[k], failing with `key "k" not in dict` when absent. */
export function dictGet(d: Dict, k: Value): Value {
  const v = d.get(keyOf(k));
  if (v === undefined) fail(`key ${repr(k)} not in dict`);
  return v;
}

/** d[k] = v (insert or update). */
export function tableSet(thread: Thread, t: HashTable, k: Value, v: Value): void {
  const key = keyOf(k);
  if (t.frozen || t.itercount > 0) checkTableMutable(t, 'insert into');
  if (t.size >= thread.limits.maxDictSize && !t.has(key)) thread.checkDict(t.size + 1);
  // A key that is not its own canonical form is remembered, unless an equal key is already there.
  if (key !== k && !t.has(key)) (t.origKeys ??= new Map()).set(key, k);
  t.set(key, v);
}

/**
 * A dict literal site with more than SMALL distinct string keys: the index of
 * its keys, built on first use and shared (copied on write) by every dict the
 * site makes, so a record literal costs no hashing.
 */
export class DictShape {
  index: Int32Array | null = null;
}

/**
 * A dict literal with distinct string keys, from its entries interleaved
 * ([k0, v0, k1, v1, ...]); a fresh array, which becomes the dict's storage.
 * `shape`: the site's DictShape (the keys are the same constants every time).
 */
export function dictOfStrings(thread: Thread, kv: Value[], shape?: DictShape): Dict {
  const d = new Dict();
  for (let i = 0; i < kv.length; i += 2) {
    // A key that hashing.ts escapes is not its own canonical form: insert one by one.
    if ((kv[i] as string).charCodeAt(0) === 0) {
      for (let j = 0; j < kv.length; j += 2) tableSet(thread, d, kv[j]!, kv[j + 1]!);
      return d;
    }
  }
  if (kv.length > 2 * thread.limits.maxDictSize) thread.checkDict(kv.length >> 1);
  if (shape !== undefined && kv.length > 2 * SMALL) d.adoptIndexed(kv, (shape.index ??= buildIndex(kv, kv.length >> 1, null, null)));
  else d.adopt(kv);
  return d;
}

/** Removes k; returns the removed value or undefined when absent. */
export function tableDelete(t: HashTable, k: Value): Value | undefined {
  const key = keyOf(k);
  checkTableMutable(t, 'delete from');
  const v = t.get(key);
  if (v === undefined) return undefined;
  t.delete(key); // and its original key
  return v;
}

/** Removes every entry. */
export function tableClear(t: HashTable): void {
  if (t.size === 0) return;
  checkTableMutable(t, 'clear');
  t.clear();
}

/**
 * The [key, value] pairs of a dict (or [element, null] of a set), in order.
 * The table's layout is the runtime's business (hashtable.ts: a flat array
 * while small, a Map beyond).
 */
export function tableEntries(t: HashTable): Array<[Value, Value]> {
  const out = new Array<[Value, Value]>(t.size);
  let i = 0;
  for (const [mk, v] of t.entries()) out[i++] = [t.origKey(mk), v];
  return out;
}

/**
 * `d.items()` for a loop `for k, v in d.items()`: the keys and the values as
 * two fresh arrays (a snapshot, as the list items() returns, but without a
 * tuple per entry); charged as the call of items() is (one step, plus one
 * per entry).
 *
 * @example
 *   const [keys, values] = itemColumns(thread, d);
 */
export function itemColumns(thread: Thread, d: Dict): [Value[], Value[]] {
  thread.step(1 + d.size);
  return [tableKeys(d), d.values()];
}
