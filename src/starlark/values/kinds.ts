/** Type names, truth values and callability of Starlark values. */
import { Builtin, Bytes, Dict, Float, List, Module, Range, StarSet, StringIter, Tuple } from './value.ts';
import type { Callable, HostValue, Value } from './value.ts';

/** True for embedder-provided values. */
export function isHost(v: Value): v is HostValue {
  return typeof v === 'object' && v !== null && typeof (v as HostValue).hostType === 'string';
}

/** True for anything that can be called (builtins, compiled functions, callable host values). */
export function isCallable(v: Value): v is Callable {
  return typeof v === 'object' && v !== null && typeof (v as Callable).call === 'function';
}

/** The name returned by type(v). */
export function typeName(v: Value): string {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
  }
  if (v === null) return 'NoneType';
  if (v instanceof List) return 'list';
  if (v instanceof Dict) return 'dict';
  if (v instanceof Tuple) return 'tuple';
  if (v instanceof Float) return 'float';
  if (v instanceof StarSet) return 'set';
  if (v instanceof Range) return 'range';
  if (v instanceof Bytes) return 'bytes';
  if (v instanceof Builtin) return 'builtin_function_or_method';
  if (v instanceof Module) return 'module';
  if (v instanceof StringIter) {
    if (typeof v.src !== 'string') return 'bytes.elems';
    return v.kind.startsWith('elem') ? 'string.elems' : 'string.codepoints';
  }
  if (isHost(v)) return v.hostType;
  return 'function';
}

/** The truth value of v (spec: empty/zero values are false). */
export function truth(v: Value): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length !== 0;
    case 'bigint':
      return true; // normalised bigints are never zero
  }
  if (v === null) return false;
  if (v instanceof List || v instanceof Tuple) return v.elems.length !== 0;
  if (v instanceof Dict || v instanceof StarSet) return v.size !== 0;
  if (v instanceof Float) return v.value !== 0;
  if (v instanceof Range) return v.len !== 0;
  if (v instanceof Bytes) return v.data.length !== 0;
  if (isHost(v) && v.truth !== undefined) return v.truth();
  return true;
}
