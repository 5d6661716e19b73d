/**
 * Decoding of string and bytes literal bodies (the text between the quotes),
 * with starlark-go's escape rules: an unknown escape is an error, and \x and
 * octal escapes above 127 are allowed only in bytes literals.
 */

const SIMPLE: Record<string, number> = {
  a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, "'": 39, '"': 34,
};

const utf8 = new TextEncoder();

/**
 * Decodes a literal body. Returns a string, a Uint8Array (bytes literal),
 * or `{ error }` describing the first bad escape.
 *
 * @example
 *   decodeQuoted("a\\tb", false, false); // "a\tb"
 */
export function decodeQuoted(body: string, raw: boolean, bytes: boolean): string | Uint8Array | { error: string } {
  // Each element is either text (UTF-16, to be UTF-8 encoded for bytes) or a raw byte.
  const parts: Array<string | number> = [];
  let i = 0;
  while (i < body.length) {
    const j = body.indexOf("\\", i);
    if (raw || j < 0) {
      parts.push(body.slice(i));
      break;
    }
    if (j > i) parts.push(body.slice(i, j));
    const c = body[j + 1];
    if (c === undefined) return { error: "truncated escape sequence \\" };
    i = j + 2;
    if (c === "\n") continue;
    if (c in SIMPLE) {
      parts.push(String.fromCharCode(SIMPLE[c]!));
    } else if (c >= "0" && c <= "7") {
      let n = c.charCodeAt(0) - 48;
      for (let k = 0; k < 2 && body[i] !== undefined && body[i]! >= "0" && body[i]! <= "7"; k++) {
        n = n * 8 + body.charCodeAt(i++) - 48;
      }
      if (!bytes && n > 127) {
        return { error: `non-ASCII octal escape \\${n.toString(8)} (use \\u${hex4(n)} for the UTF-8 encoding of U+${hex4(n)})` };
      }
      if (n >= 256) return { error: `invalid escape sequence \\${n.toString(8).padStart(3, "0")}` };
      parts.push(bytes ? n : String.fromCharCode(n));
    } else if (c === "x") {
      const h = body.slice(i, i + 2);
      if (h.length < 2) return { error: `truncated escape sequence \\x${h}` };
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return { error: `invalid escape sequence \\x${h}` };
      const n = parseInt(h, 16);
      if (!bytes && n > 127) {
        return { error: `non-ASCII hex escape \\x${h} (use \\u${hex4(n)} for the UTF-8 encoding of U+${hex4(n)})` };
      }
      parts.push(bytes ? n : String.fromCharCode(n));
      i += 2;
    } else if (c === "u" || c === "U") {
      const size = c === "u" ? 4 : 8;
      const h = body.slice(i, i + size);
      if (h.length < size) return { error: `truncated escape sequence \\${c}${h}` };
      if (!/^[0-9a-fA-F]+$/.test(h)) return { error: `invalid escape sequence \\${c}${h}` };
      const n = parseInt(h, 16);
      if (n > 0x10ffff) return { error: `code point out of range: \\${c}${h} (max \\U0010ffff)` };
      if (n >= 0xd800 && n < 0xe000) return { error: `invalid Unicode code point U+${hex4(n)}` };
      parts.push(String.fromCodePoint(n));
      i += size;
    } else {
      return { error: `invalid escape sequence \\${c}` };
    }
  }
  if (!bytes) return parts.join("");
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else for (const b of utf8.encode(p)) out.push(b);
  }
  return Uint8Array.from(out);
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, "0");
}
