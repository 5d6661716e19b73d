/** UTF-8 decoding with Go's error handling: each invalid byte becomes one U+FFFD. */

const strict = new TextDecoder('utf-8', { fatal: true });

/** Length of the valid UTF-8 sequence starting at i, or 0 when the bytes there are invalid. */
export function utf8SeqLen(data: Uint8Array, i: number): number {
  const b = data[i]!;
  if (b < 0x80) return 1;
  const n = b < 0xc2 ? 0 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : b < 0xf5 ? 4 : 0;
  if (n === 0 || i + n > data.length) return 0;
  try {
    strict.decode(data.subarray(i, i + n));
    return n;
  } catch {
    return 0;
  }
}

/** Decodes bytes to a string; invalid bytes become U+FFFD one for one (WHATWG would merge some). */
export function decodeUtf8(data: Uint8Array): string {
  try {
    return strict.decode(data);
  } catch {
    let out = '';
    for (let i = 0; i < data.length; ) {
      const n = utf8SeqLen(data, i);
      out += n === 0 ? '\ufffd' : strict.decode(data.subarray(i, i + n));
      i += n === 0 ? 1 : n;
    }
    return out;
  }
}

/** The string for a code point; surrogate code points become U+FFFD (they are not valid text). */
export function codePointString(c: number): string {
  return c >= 0xd800 && c <= 0xdfff ? '\ufffd' : String.fromCodePoint(c);
}
