/**
 * Conversion between Starlark values and JSON-like JS values, for embedders.
 */
import { fail } from "../values/errors.ts";
import { typeName } from "../values/kinds.ts";
import { dictEntries, dictKeys, dictSet } from "../values/ops.ts";
import { Thread } from "../values/thread.ts";
import { Builtin, Bytes, Dict, Float, List, Module, Range, StarSet, StringIter, Tuple, type Value } from "../values/value.ts";

/** JS values that toJS produces and fromJS accepts. */
export type JSValue = null | boolean | number | bigint | string | Uint8Array | JSValue[] | { [key: string]: JSValue };

/**
 * Converts a Starlark value to plain JS: None→null, int→number (bigint when
 * outside the safe range), float→number, list/tuple/set→array, dict with
 * string keys→object, bytes→Uint8Array. Other values (functions...) fail.
 *
 * @example toJS(fromJS({ a: [1, 2] })); // { a: [1, 2] }
 */
export function toJS(v: Value): JSValue {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "bigint" || typeof v === "string") return v;
  if (v instanceof Float) return v.value;
  if (v instanceof List || v instanceof Tuple) return v.elems.map(toJS);
  if (v instanceof StarSet) return dictKeys(v).map((k) => toJS(k));
  if (v instanceof Bytes) return v.data.slice();
  if (v instanceof Dict) {
    const out: { [key: string]: JSValue } = {};
    for (const [k, val] of dictEntries(v)) {
      if (typeof k !== "string") fail(`toJS: dict key ${typeName(k)} is not a string`);
      // defineProperty: a "__proto__" key must stay data, not replace the prototype.
      Object.defineProperty(out, k, { value: toJS(val), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return fail(`toJS: cannot convert ${typeName(v)} to a JS value`);
}

/**
 * Converts a JS value to Starlark: null/undefined→None, integral numbers→int
 * (other numbers→float), bigint→int, arrays→list, plain objects→dict,
 * Uint8Array→bytes, JS functions→builtins (arguments converted with toJS,
 * result with fromJS). Starlark values, host values and callables pass
 * through unchanged; other class instances (Date, Map...) fail.
 *
 * @example fromJS({ n: 1, xs: [1.5] }); // Dict {"n": 1, "xs": [1.5]}
 */
export function fromJS(x: unknown): Value {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case "boolean": case "string":
      return x;
    case "number":
      return Number.isSafeInteger(x) ? x : new Float(x);
    case "bigint":
      return Number.isSafeInteger(Number(x)) ? Number(x) : x;
    case "function": {
      const f = x as (...args: JSValue[]) => unknown;
      return new Builtin(f.name || "function", (_thread, args, kwargs) => {
        if (kwargs !== null && kwargs.length > 0) fail(`${f.name}: unexpected keyword arguments`);
        return fromJS(f(...args.map(toJS)));
      });
    }
  }
  if (x instanceof Uint8Array) return new Bytes(x.slice());
  if (Array.isArray(x)) return new List(x.map(fromJS));
  if (isStarlarkValue(x)) return x as Value;
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) fail(`fromJS: cannot convert ${proto?.constructor?.name ?? "object"} to a Starlark value`);
  const d = new Dict();
  const thread = new Thread();
  for (const [k, v] of Object.entries(x as object)) dictSet(thread, d, k, fromJS(v));
  return d;
}

/** Values of the runtime's classes, host values and callables pass through fromJS unchanged. */
function isStarlarkValue(x: object): boolean {
  if (x instanceof Float || x instanceof List || x instanceof Tuple || x instanceof Dict || x instanceof StarSet
    || x instanceof Bytes || x instanceof Range || x instanceof Builtin || x instanceof Module || x instanceof StringIter) {
    return true;
  }
  const v = x as { hostType?: unknown; call?: unknown; name?: unknown };
  return typeof v.hostType === "string" || (typeof v.call === "function" && typeof v.name === "string");
}
