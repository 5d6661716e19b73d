/** Method lookup by receiver type: the tables live in the *-methods.ts files. */
import { Bytes, Dict, List, StarSet, type BuiltinFn, type Value } from '../values/value.ts';
import { bytesMethods } from './bytes-methods.ts';
import { dictMethods } from './dict-methods.ts';
import { listMethods } from './list-methods.ts';
import { setMethods } from './set-methods.ts';
import { stringMethods } from './string-methods.ts';

/** A method table: name to implementation (the receiver arrives as `recv`). */
export type MethodTable = Readonly<Record<string, BuiltinFn>>;

function tableOf(v: Value): MethodTable | null {
  if (typeof v === 'string') return stringMethods;
  if (typeof v !== 'object' || v === null) return null;
  if (v instanceof List) return listMethods;
  if (v instanceof Dict) return dictMethods;
  if (v instanceof StarSet) return setMethods;
  if (v instanceof Bytes) return bytesMethods;
  return null;
}

/** Copies of the tables without a prototype, so a plain property read is a safe lookup. */
const LIST = Object.assign(Object.create(null), listMethods) as MethodTable;
const DICT = Object.assign(Object.create(null), dictMethods) as MethodTable;
const STRING = Object.assign(Object.create(null), stringMethods) as MethodTable;

/** The list, dict and string implementations of method `name` (undefined where absent), for call-site caches. */
export function methodsNamed(name: string): { list?: BuiltinFn; dict?: BuiltinFn; string?: BuiltinFn } {
  return { list: LIST[name], dict: DICT[name], string: STRING[name] };
}

/** The builtin method `name` of v's type, if any. Hot: list.append, dict.get, str.join in loops. */
export function lookupMethod(v: Value, name: string): BuiltinFn | undefined {
  if (v instanceof List) return LIST[name];
  if (typeof v === 'string') return STRING[name];
  if (v instanceof Dict) return DICT[name];
  const t = tableOf(v);
  return t !== null && Object.hasOwn(t, name) ? t[name] : undefined;
}

/** Names of v's builtin methods (a fresh array). */
export function methodNames(v: Value): string[] {
  const t = tableOf(v);
  return t === null ? [] : Object.keys(t);
}
