/** The `json` module: encode, decode, indent, encode_indent (as starlark-go's lib/json). */
import { asString, params, positional } from '../builtins/args.ts';
import { fail, StarlarkError } from '../values/errors.ts';
import { formatFloat } from '../values/float.ts';
import { isHost, typeName } from '../values/kinds.ts';
import type { Thread } from '../values/thread.ts';
import { keyOf } from '../values/hashing.ts';
import { tableKeys } from '../values/iter.ts';
import { Builtin, Dict, Float, List, Module, Range, StarSet, Tuple, type Kwargs, type Value } from '../values/value.ts';
import { decodeJson, decodeOrFail, JsonSyntaxError } from './json-decode.ts';
import { encodeNative } from './json-stringify.ts';

/** Strings that JSON.stringify would emit unchanged between quotes. */
const PLAIN = /^[^"\\\x00-\x1f\ud800-\udfff]*$/;

function quote(s: string): string {
  // Lone surrogates (a string sliced mid-pair) become U+FFFD, as when Go encodes invalid UTF-8.
  return s.length < 64 && PLAIN.test(s) ? '"' + s + '"' : JSON.stringify(s.toWellFormed());
}

/** Prefixes a nested encoding error with where it happened. */
function wrap(e: unknown, where: string): unknown {
  return e instanceof StarlarkError ? new StarlarkError(`${where}: ${e.msg}`) : e;
}

/** Sorts in UTF-16 code unit order (Starlark string order); insertion sort for the usual few keys. */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort(); // the default order is UTF-16 code units too
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

/** Accumulates the encoding in one string (V8 concatenation is cheap); `path` detects cycles. */
class Encoder {
  out = '';
  private readonly path: object[] = [];
  private readonly thread: Thread;
  constructor(thread: Thread) {
    this.thread = thread;
  }

  emit(x: Value): void {
    switch (typeof x) {
      case 'string':
        this.out += quote(x);
        return;
      case 'number':
      case 'bigint':
        this.out += String(x);
        return;
      case 'boolean':
        this.out += x ? 'true' : 'false';
        return;
    }
    if (x === null) {
      this.out += 'null';
      return;
    }
    if (x instanceof Float) {
      if (!Number.isFinite(x.value)) fail(`cannot encode non-finite float ${formatFloat(x.value)}`);
      this.out += formatFloat(x.value);
      return;
    }
    if (this.path.includes(x)) fail('cycle in JSON structure');
    this.path.push(x);
    if (x instanceof Dict) this.object(x);
    else if (x instanceof List || x instanceof Tuple) this.array(typeName(x), x.elems);
    else if (x instanceof StarSet) this.array('set', tableKeys(x));
    else if (x instanceof Range) this.array('range', Array.from({ length: x.len }, (_v, i) => x.start + i * x.step));
    else if (isHost(x) && x.attrNames !== undefined && x.getAttr !== undefined) this.fields(x.attrNames(), (n) => x.getAttr!(n, this.thread));
    else fail(`cannot encode ${typeName(x)} as JSON`);
    this.path.pop();
  }

  private array(type: string, elems: Value[]): void {
    this.thread.step(elems.length);
    // Shared substructures can make the text far larger than the value graph: bound it as it grows.
    if (this.out.length > this.thread.limits.maxStringLength) this.thread.checkString(this.out.length);
    this.out += '[';
    for (let i = 0; i < elems.length; i++) {
      if (i > 0) this.out += ',';
      try {
        this.emit(elems[i]!);
      } catch (e) {
        throw wrap(e, `at ${type} index ${i}`);
      }
    }
    this.out += ']';
  }

  /** Keys are sorted (starlark-go emits key order, not insertion order). */
  private object(d: Dict): void {
    const keys = tableKeys(d);
    this.thread.step(keys.length);
    let sorted = true;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (typeof k !== 'string') fail(`dict has ${typeName(k)} key, want string`);
      if (i > 0 && k < (keys[i - 1] as string)) sorted = false;
    }
    if (!sorted) sortKeys(keys as string[]);
    this.out += '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      if (i > 0) this.out += ',';
      this.out += quote(k) + ':';
      try {
        this.emit(d.get(keyOf(k))!);
      } catch (err) {
        throw wrap(err, `in dict key ${quote(k)}`);
      }
    }
    this.out += '}';
  }

  private fields(names: string[], get: (n: string) => Value | undefined): void {
    this.out += '{';
    [...names].sort().forEach((name, i) => {
      if (i > 0) this.out += ',';
      this.out += quote(name) + ':';
      try {
        this.emit(get(name) ?? null);
      } catch (err) {
        throw wrap(err, `in field .${name}`);
      }
    });
    this.out += '}';
  }
}

/** JSON encoding of x (natively when json-stringify.ts can); errors are prefixed with `fn`. */
function encodeValue(thread: Thread, fn: string, x: Value): string {
  const fast = encodeNative(thread, x);
  if (fast !== undefined) {
    thread.checkString(fast.length);
    return fast;
  }
  const enc = new Encoder(thread);
  try {
    enc.emit(x);
  } catch (e) {
    throw wrap(e, fn);
  }
  thread.checkString(enc.out.length);
  return enc.out;
}

/** Re-indents valid JSON text the way Go's json.Indent does. */
function indentText(thread: Thread, fn: string, s: string, prefix: string, indent: string): string {
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
    } else if (c === ',') {
      out += ',' + newline();
      // Deep nesting times a long indent can make the text explode: bound it as it grows.
      if (out.length > thread.limits.maxStringLength) thread.checkString(out.length);
    }
    else if (c === ':') out += ': ';
    else if (!' \t\r\n'.includes(c)) out += c;
  }
  return out;
}

const INDENT_OPTS = params('indent', 'prefix?', 'indent?');

/** The keyword-only prefix/indent options of indent and encode_indent. */
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
  indent: new Builtin('json.indent', (thread, args, kwargs) => {
    positional('json.indent', args, null, 1, 1);
    const [prefix, indent] = indentOptions('json.indent', kwargs);
    return indentText(thread, 'json.indent', asString('json.indent', 'str', args[0]!), prefix, indent);
  }),
  encode_indent: new Builtin('json.encode_indent', (thread, args, kwargs) => {
    positional('json.encode_indent', args, null, 1, 1);
    const [prefix, indent] = indentOptions('json.encode_indent', kwargs);
    return indentText(thread, 'json.encode_indent', encodeValue(thread, 'json.encode_indent', args[0]!), prefix, indent);
  }),
});
