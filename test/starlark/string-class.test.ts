import assert from 'node:assert/strict';
import { test } from 'node:test';
import { method } from './helpers.ts';

/** The Unicode definitions (what every string used to be tested with). */
const REFERENCE: Record<string, (s: string) => boolean> = {
  isalnum: (s) => /^[\p{L}\p{Nd}]+$/u.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isdigit: (s) => /^\p{Nd}+$/u.test(s),
  isspace: (s) => /^\s+$/u.test(s),
  islower: (s) => /[\p{Lu}\p{Ll}\p{Lt}]/u.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[\p{Lu}\p{Ll}\p{Lt}]/u.test(s) && s === s.toUpperCase(),
};

test('is* predicates: the ASCII fast path agrees with the Unicode definitions', () => {
  const alphabet = ['a', 'Z', '5', ' ', '\t', '_', '.', '\u00e9', '\u0663', '\u2003', '\u01c5'];
  const strings = [''];
  for (const a of alphabet) {
    strings.push(a);
    for (const b of alphabet) {
      strings.push(a + b);
      for (const c of ['a', 'Z', '5', ' ', '-']) strings.push(a + b + c);
    }
  }
  for (const s of strings) {
    for (const [name, ref] of Object.entries(REFERENCE)) assert.equal(method(s, name), ref(s), `${JSON.stringify(s)}.${name}()`);
  }
});
