/** Case conversion and character-class predicates of string methods (Unicode-aware). */

/** Title case of one code point: the Dž/Lj/Nj digraphs have a distinct titlecase form. */
function toTitleChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c >= 0x1c4 && c <= 0x1c6) return '\u01c5';
  if (c >= 0x1c7 && c <= 0x1c9) return '\u01c8';
  if (c >= 0x1ca && c <= 0x1cc) return '\u01cb';
  if (c >= 0x1f1 && c <= 0x1f3) return '\u01f2';
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}

const WS = /\s/u;

/**
 * Whether code unit i of s is whitespace as JS `\s` defines it (what split
 * and strip use); ASCII is tested without a regular expression.
 *
 * @example
 *   isSpaceAt(" a", 0) // true
 */
export function isSpaceAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return WS.test(s[i]!);
}

const LETTER = /\p{L}/u;
const LETTERS_DIGITS = /^[\p{L}\p{Nd}]+$/u;
const LETTERS = /^\p{L}+$/u;
const DIGITS = /^\p{Nd}+$/u;
const SPACES = /^\s+$/u;
const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;
const TITLE = /\p{Lt}/u;
const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;

export function capitalize(s: string): string {
  if (s.length === 0) return s;
  const first = String.fromCodePoint(s.codePointAt(0)!);
  return first.toUpperCase() + s.slice(first.length).toLowerCase();
}

/** Words (runs of letters) start with a titlecase letter; other letters become lowercase. */
export function title(s: string): string {
  let out = '';
  let prevLetter = false;
  for (const ch of s) {
    out += prevLetter ? ch.toLowerCase() : toTitleChar(ch);
    prevLetter = LETTER.test(ch);
  }
  return out;
}

/** ASCII character classes (bits), so that ASCII strings skip the Unicode regular expressions. */
const DIGIT = 1, UPPER_BIT = 2, LOWER_BIT = 4, SPACE = 8, NONE = 16;
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII[c] = (c >= 48 && c <= 57 ? DIGIT : 0) | (c >= 65 && c <= 90 ? UPPER_BIT : 0) | (c >= 97 && c <= 122 ? LOWER_BIT : 0)
    | (c === 32 || (c >= 9 && c <= 13) ? SPACE : 0);
}

/**
 * For an ASCII string: the union of its characters' classes, with NONE set
 * if some character is in none of `want`; -1 when s is not all ASCII.
 */
function asciiClasses(s: string, want: number): number {
  let all = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return -1;
    const k = ASCII[c]!;
    all |= (k & want) === 0 ? NONE : k;
  }
  return all;
}

/** Non-empty and every character in the classes `want` (regex `re` beyond ASCII). */
function every(s: string, want: number, re: RegExp): boolean {
  const k = asciiClasses(s, want);
  return k < 0 ? re.test(s) : s.length !== 0 && (k & NONE) === 0;
}

export const isalnum = (s: string): boolean => every(s, DIGIT | UPPER_BIT | LOWER_BIT, LETTERS_DIGITS);
export const isalpha = (s: string): boolean => every(s, UPPER_BIT | LOWER_BIT, LETTERS);
export const isdigit = (s: string): boolean => every(s, DIGIT, DIGITS);
export const isspace = (s: string): boolean => every(s, SPACE, SPACES);

/** Some cased character, and none of the other case (`own` is LOWER_BIT for islower). */
function casedAs(s: string, own: number, toCase: (s: string) => string): boolean {
  const k = asciiClasses(s, 0xff);
  if (k < 0) return CASED.test(s) && s === toCase(s);
  return (k & own) !== 0 && (k & (UPPER_BIT | LOWER_BIT) & ~own) === 0;
}

export const islower = (s: string): boolean => casedAs(s, LOWER_BIT, (x) => x.toLowerCase());
export const isupper = (s: string): boolean => casedAs(s, UPPER_BIT, (x) => x.toUpperCase());

/**
 * Uppercase/titlecase letters may only follow uncased characters and
 * lowercase letters only cased ones; at least one cased letter is required.
 * (As starlark-go: a non-ASCII uppercase, non-titlecase letter fails.)
 */
export function istitle(s: string): boolean {
  let cased = false;
  let prevCased = false;
  for (const ch of s) {
    if ((ch >= 'A' && ch <= 'Z') || TITLE.test(ch)) {
      if (prevCased) return false;
      prevCased = cased = true;
    } else if (LOWER.test(ch)) {
      if (!prevCased) return false;
      prevCased = true;
    } else if (UPPER.test(ch)) {
      return false;
    } else {
      prevCased = false;
    }
  }
  return cased;
}
