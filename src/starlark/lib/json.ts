/** The `json` module: encode, decode, indent, encode_indent (as starlark-go's lib/json). */
import { params, positional, asString } from '../builtins/args.ts';
import { fail, StarlarkError } from '../values/errors.ts';
import { formatFloat } from '../values/float.ts';
import { isHost, typeName } from '../values/kinds.ts';
import type { Thread } from '../values/thread.ts';
import { Builtin, Dict, Float, List, Module, Range, StarSet, Tuple, type Kwargs, type Value } from '../values/value.ts';
import { decodeJson, decodeOrFail, JsonSyntaxError } from './json-decode.ts';

/** Appends the JSON encoding of x to `out`; `path` holds the containers being encoded (cycle check). */
function emit(thread: Thread, x: Value, out: string[], path: object[]): void {
  switch (typeof x) {
    case 'string':
      out.push(JSON.stringify(x));
      return;
    case 'number':
    case 'bigint':
      out.push(String(x));
      return;
    case 'boolean':
      out.push(x ? 'true' : 'false');
      return;
  }
  if (x === null) {
    out.push('null');
    return;
  }
  if (x instanceof Float) {
    if (!Number.isFinite(x.value)) fail(`cannot encode non-finite float ${formatFloat(x.value)}`);
    out.push(formatFloat(x.value));
    return;
  }
  if (path.includes(x)) fail('cycle in JSON structure');
  path.push(x);
  if (x instanceof Dict) emitObject(thread, x, out, path);
  else if (x instanceof List || x instanceof Tuple) emitArray(thread, typeName(x), x.elems, out, path);
  else if (x instanceof Range || x instanceof StarSet) emitArray(thread, typeName(x), iterElems(x), out, path);
  else if (isHost(x) && x.attrNames !== undefined && x.getAttr !== undefined) emitFields(thread, x.attrNames(), (n) => x.getAttr!(n, thread), out, path);
  else fail(`cannot encode ${typeName(x)} as JSON`);
  path.pop();
}

function iterElems(x: Range | StarSet): Value[] {
  if (x instanceof StarSet) return [...x.map.values()].map((e) => e.k);
  return Array.from({ length: x.len }, (_v, i) => x.start + i * x.step);
}

function emitArray(thread: Thread, type: string, elems: Value[], out: string[], path: object[]): void {
  thread.step(elems.length);
  out.push('[');
  for (let i = 0; i < elems.length; i++) {
    if (i > 0) out.push(',');
    try {
      emit(thread, elems[i]!, out, path);
    } catch (e) {
      throw wrap(e, `at ${type} index ${i}`);
    }
  }
  out.push(']');
}

function emitObject(thread: Thread, d: Dict, out: string[], path: object[]): void {
  const entries = [...d.map.values()];
  thread.step(entries.length);
  for (const e of entries) if (typeof e.k !== 'string') fail(`dict has ${typeName(e.k)} key, want string`);
  entries.sort((a, b) => ((a.k as string) < (b.k as string) ? -1 : 1));
  out.push('{');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (i > 0) out.push(',');
    out.push(JSON.stringify(e.k), ':');
    try {
      emit(thread, e.v, out, path);
    } catch (err) {
      throw wrap(err, `in dict key ${JSON.stringify(e.k)}`);
    }
  }
  out.push('}');
}

function emitFields(thread: Thread, names: string[], get: (n: string) => Value | undefined, out: string[], path: object[]): void {
  out.push('{');
  [...names].sort().forEach((name, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(name), ':');
    try {
      emit(thread, get(name) ?? null, out, path);
    } catch (err) {
      throw wrap(err, `in field .${name}`);
    }
  });
  out.push('}');
}

/** Prefixes a nested encoding error with where it happened. */
function wrap(e: unknown, where: string): unknown {
  return e instanceof StarlarkError ? new StarlarkError(`${where}: ${e.msg}`) : e;
}

/** JSON encoding of x; errors are prefixed with `fn`. */
function encodeValue(thread: Thread, fn: string, x: Value): string {
  const out: string[] = [];
  try {
    emit(thread, x, out, []);
  } catch (e) {
    throw wrap(e, fn);
  }
  const s = out.join('');
  thread.checkString(s.length);
  return s;
}

/** Re-indents valid JSON text the way Go's json.Indent does. */
function indentText(fn: string, s: string, prefix: string, indent: string): string {
  try {
    decodeJson(s);
  } catch (e) {
    if (e instanceof JsonSyntaxError) fail(`${fn}: invalid character at offset ${e.offset}: ${e.message}`);
    throw e;
  }
  let out = '';
  let depth = 0;
  const newline = (): string => '\n' + prefix + indent.repeat(depth);
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') {
      let j = i + 1;
      while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      let j = i + 1;
      while (j < s.length && ' \t\r\n'.includes(s[j]!)) j++;
      if (s[j] === close) {
        out += c + close;
        i = j;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') out += ',' + newline();
    else if (c === ':') out += ': ';
    else if (!' \t\r\n'.includes(c)) out += c;
  }
  return out;
}

const INDENT_OPTS = params('indent', 'prefix?', 'indent?');

function indentOptions(fn: string, kwargs: Kwargs | null): [string, string] {
  const [p, ind] = INDENT_OPTS.unpack([], kwargs);
  return [p === undefined ? '' : asString(fn, 'prefix', p), ind === undefined ? '\t' : asString(fn, 'indent', ind)];
}

const DECODE = params('json.decode', 'x', 'default?');

export const json = new Module('json', {
  encode: new Builtin('json.encode', (thread, args, kwargs) => {
    positional('json.encode', args, kwargs, 1, 1);
    return encodeValue(thread, 'json.encode', args[0]!);
  }),
  decode: new Builtin('json.decode', (thread, args, kwargs) => {
    const [x, dflt] = DECODE.unpack(args, kwargs);
    if (args.length < 1) fail('json.decode: unexpected keyword argument x');
    const s = asString('json.decode', 'x', x!);
    thread.step(s.length >> 4);
    if (dflt === undefined) return decodeOrFail('json.decode', s);
    try {
      return decodeJson(s);
    } catch (e) {
      if (e instanceof JsonSyntaxError) return dflt;
      throw e;
    }
  }),
  indent: new Builtin('json.indent', (_thread, args, kwargs) => {
    positional('json.indent', args, null, 1, 1);
    const [prefix, indent] = indentOptions('json.indent', kwargs);
    return indentText('json.indent', asString('json.indent', 'str', args[0]!), prefix, indent);
  }),
  encode_indent: new Builtin('json.encode_indent', (thread, args, kwargs) => {
    positional('json.encode_indent', args, null, 1, 1);
    const [prefix, indent] = indentOptions('json.encode_indent', kwargs);
    return indentText('json.encode_indent', encodeValue(thread, 'json.encode_indent', args[0]!), prefix, indent);
  }),
});
