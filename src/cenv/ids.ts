/**
 * Cenv identifiers: a UUID (any case, normalised to lower case) or a name.
 * Everything that later becomes a file path goes through `parseCenvRef`, so user input
 * never reaches the file system unvalidated.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[a-z0-9-]{3,40}$/;

/** Top-level path words that a cenv name may never take. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'new', 'health', 'metrics', 'static', 'api', 'docs', 'admin', 'login', 'logout', 'assets',
  'favicon.ico', 'robots.txt', 'www', 'app', 'auth', 'status', 'ui', 'public', 'cluster',
]);

export type CenvRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };

/** True for a well-formed UUID in any case. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/**
 * Why a proposed cenv name is not acceptable, or null when it is.
 * @example nameProblem('my-app') === null; nameProblem('new') !== null
 */
export function nameProblem(name: string): string | null {
  if (!NAME.test(name)) return 'name must be 3 to 40 characters of a-z, 0-9 and -';
  if (isUuid(name)) return 'name must not look like a UUID';
  if (RESERVED_NAMES.has(name)) return `name "${name}" is reserved`;
  return null;
}

/** Parses the `{cenv}` path segment; null when it can name no cenv. */
export function parseCenvRef(segment: string): CenvRef | null {
  if (isUuid(segment)) return { kind: 'id', id: segment.toLowerCase() };
  if (nameProblem(segment) === null) return { kind: 'name', name: segment };
  return null;
}
