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

export const isalnum = (s: string): boolean => LETTERS_DIGITS.test(s);
export const isalpha = (s: string): boolean => LETTERS.test(s);
export const isdigit = (s: string): boolean => DIGITS.test(s);
export const isspace = (s: string): boolean => SPACES.test(s);
export const islower = (s: string): boolean => CASED.test(s) && s === s.toLowerCase();
export const isupper = (s: string): boolean => CASED.test(s) && s === s.toUpperCase();

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
