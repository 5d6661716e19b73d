/**
 * Page paths: the patterns templates are saved under (`index`, `about`, `posts/:id`) and the
 * concrete paths visitors ask for (`posts/42`). Both sides are checked strictly here, so
 * the cache, the route table and the sandbox only ever see a path of a known shape: a
 * malformed visitor path is simply "no such page", never an error or a cache key that
 * could alias another one.
 *
 * A pattern segment is a literal (`posts`) or a parameter (`:id`). A literal segment that
 * starts with `_` makes the template a partial: `{% include %}`-able, never served.
 * When several patterns match, the most specific wins: literals beat parameters, left to right.
 */
import { ValidationError } from '../errors.ts';

export const MAX_PATTERN_LENGTH = 200;
const MAX_SEGMENTS = 8;
const LITERAL = /^[A-Za-z0-9_-][A-Za-z0-9._~-]{0,99}$/;
const PARAM = /^:([A-Za-z][A-Za-z0-9_]{0,31})$/;
/** Longest concrete path served; longer ones cannot match a pattern's literals anyway. */
const MAX_CONCRETE_LENGTH = 1000;
const CONTROL = /[\u0000-\u001f\u007f]/;

export type Segment = { literal: string } | { param: string };

/** A parsed pattern: its text, segments and parameter names in order. */
export interface Pattern { path: string; segments: Segment[]; params: string[]; partial: boolean }

/**
 * Parses and checks a pattern; throws ValidationError saying what is wrong.
 * @example parsePattern('posts/:id').params // ['id']
 */
export function parsePattern(path: string): Pattern {
  if (path.length === 0 || path.length > MAX_PATTERN_LENGTH) throw new ValidationError(`a page path must be 1 to ${MAX_PATTERN_LENGTH} characters`);
  const parts = path.split('/');
  if (parts.length > MAX_SEGMENTS) throw new ValidationError(`a page path may have at most ${MAX_SEGMENTS} segments`);
  const segments: Segment[] = [];
  const params: string[] = [];
  for (const part of parts) {
    const param = PARAM.exec(part);
    if (param) {
      if (params.includes(param[1])) throw new ValidationError(`page path "${path}" names :${param[1]} twice`);
      params.push(param[1]);
      segments.push({ param: param[1] });
    } else if (LITERAL.test(part)) {
      segments.push({ literal: part });
    } else {
      throw new ValidationError(`page path segment "${part.slice(0, 100)}" must be a name of letters, digits and . _ ~ - ` +
        '(not starting with a dot) or a parameter like :id; write the path without a leading or trailing /');
    }
  }
  return { path, segments, params, partial: segments.some((s) => 'literal' in s && s.literal.startsWith('_')) };
}

/**
 * A visitor's path below `/{cenv}/pages/`, as it arrived (percent-encoded, maybe with a
 * query string), to its normal form: decoded segments joined by `/`, `index` for the empty
 * path. Null when it cannot name a page (bad encoding, empty or dot segments, control
 * characters, an encoded `/`, too long).
 * @example concretePath('posts/1%20OR%201=1?x=1') // 'posts/1 OR 1=1'
 */
export function concretePath(raw: string): string | null {
  let path = raw.split('?')[0].split('#')[0];
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (path === '') return 'index';
  if (path.length > MAX_CONCRETE_LENGTH * 3) return null;
  const segments: string[] = [];
  for (const part of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('/') || CONTROL.test(segment)) return null;
    segments.push(segment);
  }
  const normal = segments.join('/');
  return normal.length > MAX_CONCRETE_LENGTH ? null : normal;
}

/** The template a concrete path is served by, with the values its parameters took. */
export interface Match<T> { route: T; params: Record<string, string> }

/** Patterns of one cenv, ready to match concrete paths. */
export class RouteTable<T extends { path: string }> {
  /** By segment count, most specific first. */
  private readonly bySize = new Map<number, Array<{ pattern: Pattern; route: T }>>();
  readonly size: number;

  /** `routes` are the servable templates (partials are left out by the caller or here). */
  constructor(routes: readonly T[]) {
    let size = 0;
    for (const route of routes) {
      const pattern = parsePattern(route.path);
      if (pattern.partial) continue;
      const list = this.bySize.get(pattern.segments.length) ?? [];
      list.push({ pattern, route });
      this.bySize.set(pattern.segments.length, list);
      size++;
    }
    for (const list of this.bySize.values()) list.sort((a, b) => specificity(a.pattern).localeCompare(specificity(b.pattern)));
    this.size = size;
  }

  /**
   * The best route for a normalised concrete path, or null.
   * @example new RouteTable([{ path: 'posts/:id' }]).match('posts/7') // { route, params: { id: '7' } }
   */
  match(path: string): Match<T> | null {
    const parts = path.split('/');
    const candidates = this.bySize.get(parts.length);
    if (!candidates) return null;
    for (const { pattern, route } of candidates) {
      const params: Record<string, string> = Object.create(null);
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const segment = pattern.segments[i];
        if ('literal' in segment) ok = segment.literal === parts[i];
        else params[segment.param] = parts[i];
      }
      if (ok) return { route, params };
    }
    return null;
  }
}

/** 'L' for a literal and 'P' for a parameter per segment: sorting these puts literals first. */
function specificity(pattern: Pattern): string {
  return pattern.segments.map((s) => ('literal' in s ? 'L' : 'P')).join('');
}
