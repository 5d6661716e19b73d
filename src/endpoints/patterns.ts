/**
 * Path patterns of endpoints (`/posts`, `/posts/:id`, `/files/*rest`) and the request paths
 * matched against them. A pattern is checked strictly when it is saved, so routing never
 * meets a malformed one; its `key` (parameter names erased) is what makes two endpoints the
 * same route, whatever they call their parameters.
 *
 * @example
 *   parsePattern('/posts/:id').key        // '/posts/:'
 *   splitPath('/files/a%2Fb/c')           // ['files', 'a/b', 'c']
 */
import { BadRequestError, ValidationError } from '../errors.ts';

export type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  /** The rest of the path: one or more segments; only last. */
  | { kind: 'rest'; name: string };

export interface Pattern {
  /** The pattern as written. */
  text: string;
  segments: Segment[];
  /** Literal segments kept, `:` for a parameter, `*` for the rest: `/posts/:`. */
  key: string;
}

export const MAX_PATTERN_LENGTH = 512;
export const MAX_SEGMENTS = 32;
/** Literal characters: RFC 3986's unreserved characters and the sub-delimiters safe in a path. */
const LITERAL = /^[A-Za-z0-9._~!$&'()+,;=@-]+$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function problem(text: string, why: string): Error {
  return new ValidationError(`path pattern "${text.slice(0, 80)}" is malformed: ${why}`);
}

function parseSegment(text: string, raw: string, last: boolean, names: Set<string>): Segment {
  if (raw === '') throw problem(text, 'empty segment (a doubled or trailing "/")');
  const sigil = raw[0];
  if (sigil === ':' || sigil === '*') {
    const name = raw.slice(1);
    if (!NAME.test(name)) throw problem(text, `"${raw.slice(0, 70)}" must be ${sigil} followed by a name of letters, digits and _ (not starting with a digit)`);
    if (names.has(name)) throw problem(text, `the name "${name}" is used twice`);
    names.add(name);
    if (sigil === '*' && !last) throw problem(text, `"${raw}" takes the rest of the path, so it must be the last segment`);
    return sigil === ':' ? { kind: 'param', name } : { kind: 'rest', name };
  }
  if (raw === '.' || raw === '..') throw problem(text, `"${raw}" is not allowed as a segment`);
  if (!LITERAL.test(raw)) throw problem(text, `"${raw.slice(0, 70)}" may only hold letters, digits and . _ ~ - ! $ & ' ( ) + , ; = @`);
  return { kind: 'literal', value: raw };
}

/**
 * Parses and checks a pattern; throws ValidationError (400) saying what is wrong.
 * @example parsePattern('/files/*rest').segments // [{ kind: 'literal', value: 'files' }, { kind: 'rest', name: 'rest' }]
 */
export function parsePattern(text: string): Pattern {
  if (typeof text !== 'string' || text.length === 0) throw new ValidationError('path pattern must be a non-empty string starting with "/"');
  if (text.length > MAX_PATTERN_LENGTH) throw problem(text, `longer than ${MAX_PATTERN_LENGTH} characters`);
  if (text[0] !== '/') throw problem(text, 'it must start with "/"');
  if (text === '/') return { text, segments: [], key: '/' };
  const parts = text.slice(1).split('/');
  if (parts.length > MAX_SEGMENTS) throw problem(text, `more than ${MAX_SEGMENTS} segments`);
  const names = new Set<string>();
  const segments = parts.map((raw, i) => parseSegment(text, raw, i === parts.length - 1, names));
  const key = '/' + segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? ':' : '*')).join('/');
  return { text, segments, key };
}

/**
 * A request path (after `/{cenv}/api`, still percent-encoded) as decoded segments, or null
 * when no pattern can match it (an empty segment: `//`, a trailing `/`). `''` and `'/'` are
 * the root. A malformed %-escape is the client's mistake: 400.
 * @example splitPath('/posts/42') // ['posts', '42']
 */
export function splitPath(path: string): string[] | null {
  if (path === '' || path === '/') return [];
  if (path[0] !== '/') return null;
  const raw = path.slice(1).split('/');
  const out: string[] = [];
  for (const part of raw) {
    if (part === '') return null;
    try {
      out.push(decodeURIComponent(part));
    } catch {
      throw new BadRequestError(`the path segment "${part.slice(0, 80)}" has a malformed %-escape`);
    }
  }
  return out;
}
