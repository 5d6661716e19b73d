/**
 * A script's dict or list as the JSON text of the response. Dict keys keep the order the
 * script gave them (a JS object would move integer-like keys first, and Starlark's
 * `json.encode` sorts them), ints of any size stay exact, and the text is bounded as it is
 * built, so a huge result fails with a clear message instead of exhausting memory.
 *
 * @example jsonText(dict {"b": 1, "a": [1.5, None]}) // '{"b":1,"a":[1.5,null]}'
 */
import { Bytes, Dict, dictEntries, Float, List, StarlarkError, Tuple, typeName, type Value } from '../starlark/index.ts';

/** How deeply lists and dicts may nest in a response (a list may even contain itself). */
export const MAX_JSON_DEPTH = 100;

/** Thrown when the text would pass `maxBytes`: a 413, not a script bug. */
export class JsonTooLargeError extends StarlarkError {}

/**
 * The JSON text of `value`; throws StarlarkError for what JSON cannot hold (a function,
 * bytes, a non-string key, an infinite float) and JsonTooLargeError past `maxBytes`.
 */
export function jsonText(value: Value, maxBytes: number): string {
  const parts: string[] = [];
  let length = 0;
  const push = (text: string): void => {
    length += text.length;
    if (length > maxBytes) throw new JsonTooLargeError(`the response is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB`);
    parts.push(text);
  };
  const write = (v: Value, depth: number): void => {
    if (depth > MAX_JSON_DEPTH) throw new StarlarkError(`cannot encode the response as JSON: nested more than ${MAX_JSON_DEPTH} deep (or it contains itself)`);
    if (v === null) return push('null');
    switch (typeof v) {
      case 'boolean': return push(v ? 'true' : 'false');
      case 'number': case 'bigint': return push(String(v));
      case 'string': return push(JSON.stringify(v));
    }
    if (v instanceof Float) {
      if (!Number.isFinite(v.value)) throw new StarlarkError(`cannot encode the response as JSON: ${v.value} is not a JSON number`);
      return push(JSON.stringify(v.value));
    }
    if (v instanceof List || v instanceof Tuple) {
      push('[');
      v.elems.forEach((item, i) => {
        if (i > 0) push(',');
        write(item, depth + 1);
      });
      return push(']');
    }
    if (v instanceof Dict) {
      push('{');
      dictEntries(v).forEach(([k, item], i) => {
        if (typeof k !== 'string') throw new StarlarkError(`cannot encode the response as JSON: dict key ${typeName(k)} is not a string`);
        push(i > 0 ? `,${JSON.stringify(k)}:` : `${JSON.stringify(k)}:`);
        write(item, depth + 1);
      });
      return push('}');
    }
    const hint = v instanceof Bytes ? ' (decode it to a string, or base64.encode it)' : '';
    throw new StarlarkError(`cannot encode the response as JSON: ${typeName(v)} is not a JSON value${hint}`);
  };
  write(value, 0);
  return parts.join('');
}
