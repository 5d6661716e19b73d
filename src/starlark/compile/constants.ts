/**
 * The constant pool of one generated program. Every value that comes from
 * tenant source — strings, names for error messages, floats, bigints, byte
 * strings, code objects — lives here and the generated JS refers to it only
 * as `kN` (see codegen.ts: the factory binds `const kN = K[N]`). So no tenant
 * text is ever spliced into the JS source.
 */

/** Largest int literal emitted inline (as decimal digits); larger ones go through the pool. */
const INLINE_INT_LIMIT = 2 ** 31;

export class Constants {
  readonly values: unknown[] = [];
  private readonly primitives = new Map<unknown, string>();

  /** A reference (`kN`) to `v`; primitives are shared, objects get their own slot. */
  ref(v: unknown): string {
    const primitive = v === null || (typeof v !== "object" && typeof v !== "function");
    if (primitive) {
      const hit = this.primitives.get(v);
      if (hit !== undefined) return hit;
    }
    const name = `k${this.values.length}`;
    this.values.push(v);
    if (primitive) this.primitives.set(v, name);
    return name;
  }

  /** The value behind a reference made by `ref`, or undefined if `name` is not one. */
  pooled(name: string): unknown {
    return /^k[0-9]+$/.test(name) ? this.values[Number(name.slice(1))] : undefined;
  }
}

/**
 * JS text for an int the compiler holds as a number. Small safe integers are
 * emitted as digits (V8 folds them into the arithmetic); `String()` of such a
 * number yields only `-` and digits, so this cannot carry other text.
 */
export function intText(n: number, k: Constants): string {
  if (Number.isSafeInteger(n) && Math.abs(n) < INLINE_INT_LIMIT) return n < 0 ? `(${String(n)})` : String(n);
  return k.ref(n);
}

/** JS text for a line or column number (always a small non-negative integer from the parser). */
export function posText(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= INLINE_INT_LIMIT) throw new Error("internal error: bad position");
  return String(n);
}
