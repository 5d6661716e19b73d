/** Methods of string values (spec "String methods"). */
import { fail } from '../values/errors.ts';
import { toArray } from '../values/iter.ts';
import { typeName } from '../values/kinds.ts';
import type { Thread } from '../values/thread.ts';
import { List, StringIter, Tuple, type BuiltinFn, type Kwargs, type Value } from '../values/value.ts';
import { asBool, asString, params, positional, type Params } from './args.ts';
import { strFormat } from './format.ts';
import type { MethodTable } from './methods.ts';
import * as C from './string-case.ts';
import { isSpaceAt } from './string-case.ts';
import { count, replace, span } from './string-replace.ts';
import { splitMethod } from './string-split.ts';

/** Defines a method whose receiver is a string and whose arguments are unpacked by `P`. */
function method(P: Params, impl: (thread: Thread, s: string, a: ReadonlyArray<Value | undefined>) => Value): BuiltinFn {
  return (thread, args, kwargs, recv) => impl(thread, recv as string, P.unpack(args, kwargs));
}

/** A no-argument method; its work (linear in the string) is charged as steps. */
function nullary(name: string, impl: (s: string) => Value): BuiltinFn {
  return (thread, args, kwargs, recv) => {
    positional(name, args, kwargs, 0, 0);
    thread.step((recv as string).length >> 6);
    return impl(recv as string);
  };
}

function find(thread: Thread, fn: string, s: string, a: ReadonlyArray<Value | undefined>, last: boolean): number {
  thread.step(s.length >> 6);
  const sub = asString(fn, 'sub', a[0]!);
  const [lo, hi] = span(fn, s.length, a[1], a[2]);
  if (hi - lo < sub.length) return -1;
  const i = last ? s.lastIndexOf(sub, hi - sub.length) : s.indexOf(sub, lo);
  return i < lo || i + sub.length > hi ? -1 : i;
}

const FIND = (name: string) => params(name, 'sub', 'start?', 'end?');

function affix(name: string, test: (s: string, x: string) => boolean): BuiltinFn {
  const P = params(name, 'prefix', 'start?', 'end?');
  const general = method(P, (_t, s, a) => {
    const [lo, hi] = span(name, s.length, a[1], a[2]);
    const sub = s.slice(lo, hi);
    const x = a[0]!;
    if (typeof x === 'string') return test(sub, x);
    if (!(x instanceof Tuple)) fail(`${name}: got ${typeName(x)}, want string or tuple of strings`);
    return x.elems.some((e, i) => {
      if (typeof e !== 'string') fail(`${name}: want string, got ${typeName(e)}, for element ${i}`);
      return test(sub, e);
    });
  });
  // Fast path for the common s.startswith("x").
  return (thread, args, kwargs, recv) =>
    args.length === 1 && kwargs === null && typeof args[0] === 'string' ? test(recv as string, args[0]) : general(thread, args, kwargs, recv);
}

/** `chars` arguments up to this length are searched directly; longer ones become a Set. */
const SHORT_CHARS = 16;

function hasSurrogate(s: string): boolean {
  for (let k = 0; k < s.length; k++) if ((s.charCodeAt(k) & 0xf800) === 0xd800) return true;
  return false;
}

function includesUnit(s: string, c: number): boolean {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) === c) return true;
  return false;
}

/**
 * Strips characters in `chars` (whitespace when None or empty) from the
 * chosen ends; one step per 64 code units examined. As before, a character
 * of `chars` outside the BMP (a surrogate pair) never matches a code unit.
 */
function strip(name: string, left: boolean, right: boolean): BuiltinFn {
  return (thread, args, kwargs, recv) => {
    if (args.length > 1 || kwargs !== null) positional(name, args, kwargs, 0, 1);
    const s = recv as string;
    const chars = args[0] === undefined || args[0] === null ? '' : asString(name, 'chars', args[0]);
    let i = 0, j = s.length;
    if (chars === '') {
      if (left) while (i < j && isSpaceAt(s, i)) i++;
      if (right) while (j > i && isSpaceAt(s, j - 1)) j--;
    } else if (chars.length <= SHORT_CHARS && !hasSurrogate(chars)) {
      if (left) while (i < j && includesUnit(chars, s.charCodeAt(i))) i++;
      if (right) while (j > i && includesUnit(chars, s.charCodeAt(j - 1))) j--;
    } else {
      const set = new Set<string>();
      for (const ch of chars) if (ch.length === 1) set.add(ch); // linear even for a long `chars`
      if (left) while (i < j && set.has(s[i]!)) i++;
      if (right) while (j > i && set.has(s[j - 1]!)) j--;
    }
    thread.step((i + s.length - j + chars.length) >> 6);
    return i === 0 && j === s.length ? s : s.slice(i, j);
  };
}

function partition(name: string, fromRight: boolean): BuiltinFn {
  return (_thread, args, kwargs, recv) => {
    positional(name, args, kwargs, 1, 1);
    const s = recv as string;
    const sep = asString(name, 'sep', args[0]!);
    if (sep === '') fail(`${name}: empty separator`);
    const i = fromRight ? s.lastIndexOf(sep) : s.indexOf(sep);
    if (i < 0) return new Tuple(fromRight ? ['', '', s] : [s, '', '']);
    return new Tuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
  };
}

function join(thread: Thread, args: Value[], kwargs: Kwargs | null, recv: Value): Value {
  positional('join', args, kwargs, 1, 1);
  const elems = toArray(thread, args[0]!, 'join');
  thread.step(elems.length);
  const sep = recv as string;
  let len = 0;
  for (let i = 0; i < elems.length; i++) {
    const e = elems[i]!;
    if (typeof e !== 'string') fail(`join: in list, want string, got ${typeName(e)}`);
    len += e.length + sep.length;
  }
  thread.checkString(len);
  return joinStrings(elems as string[], sep);
}

/** Elements per Array.join call: V8 joins a few thousand strings at a time about 30% faster than 100k at once. */
const JOIN_CHUNK = 4096;

/** elems.join(sep), in chunks. */
function joinStrings(elems: string[], sep: string): string {
  if (elems.length <= JOIN_CHUNK) return elems.join(sep);
  const chunks: string[] = [];
  for (let i = 0; i < elems.length; i += JOIN_CHUNK) chunks.push(elems.slice(i, i + JOIN_CHUNK).join(sep));
  return chunks.join(sep);
}

function splitlines(_thread: Thread, args: Value[], kwargs: Kwargs | null, recv: Value): Value {
  positional('splitlines', args, kwargs, 0, 1);
  const keep = args[0] === undefined ? false : asBool('splitlines', 'keepends', args[0]);
  const s = recv as string;
  if (s === '') return new List([]);
  const lines = keep ? s.split(/(?<=\n)/) : s.split('\n');
  if (!keep && s.endsWith('\n')) lines.pop();
  return new List(lines);
}

function removeAffix(name: string, prefix: boolean): BuiltinFn {
  return (_thread, args, kwargs, recv) => {
    positional(name, args, kwargs, 1, 1);
    const s = recv as string;
    const x = asString(name, prefix ? 'prefix' : 'suffix', args[0]!);
    if (prefix) return s.startsWith(x) ? s.slice(x.length) : s;
    return x !== '' && s.endsWith(x) ? s.slice(0, s.length - x.length) : s;
  };
}

function iterView(kind: StringIter['kind']): BuiltinFn {
  return nullary(kind, (s) => new StringIter(s, kind));
}

export const stringMethods: MethodTable = {
  capitalize: nullary('capitalize', C.capitalize),
  codepoint_ords: iterView('codepoint_ords'),
  codepoints: iterView('codepoints'),
  count,
  elem_ords: iterView('elem_ords'),
  elems: iterView('elems'),
  endswith: affix('endswith', (s, x) => s.endsWith(x)),
  find: method(FIND('find'), (t, s, a) => find(t, 'find', s, a, false)),
  format: (thread, args, kwargs, recv) => strFormat(thread, recv as string, args, kwargs),
  index: method(FIND('index'), (t, s, a) => {
    const i = find(t, 'index', s, a, false);
    return i < 0 ? fail('index: substring not found') : i;
  }),
  isalnum: nullary('isalnum', C.isalnum),
  isalpha: nullary('isalpha', C.isalpha),
  isdigit: nullary('isdigit', C.isdigit),
  islower: nullary('islower', C.islower),
  isspace: nullary('isspace', C.isspace),
  istitle: nullary('istitle', C.istitle),
  isupper: nullary('isupper', C.isupper),
  join,
  lower: nullary('lower', (s) => s.toLowerCase()),
  lstrip: strip('lstrip', true, false),
  partition: partition('partition', false),
  removeprefix: removeAffix('removeprefix', true),
  removesuffix: removeAffix('removesuffix', false),
  replace,
  rfind: method(FIND('rfind'), (t, s, a) => find(t, 'rfind', s, a, true)),
  rindex: method(FIND('rindex'), (t, s, a) => {
    const i = find(t, 'rindex', s, a, true);
    return i < 0 ? fail('rindex: substring not found') : i;
  }),
  rpartition: partition('rpartition', true),
  rsplit: splitMethod('rsplit', true),
  rstrip: strip('rstrip', false, true),
  split: splitMethod('split', false),
  splitlines,
  startswith: affix('startswith', (s, x) => s.startsWith(x)),
  strip: strip('strip', true, true),
  title: nullary('title', C.title),
  upper: nullary('upper', (s) => s.toUpperCase()),
};
