/**
 * Web origins as settings hold them (`cors_allowed_origins`): exactly `scheme://host[:port]`,
 * the form a browser sends in its `Origin` header, so a listed origin is compared with the
 * header as plain text and nothing about it is ever guessed.
 */

/**
 * Why `origin` is not a bare http(s) origin, or null.
 * @example originProblem('https://app.example.com/') // '"https://app.example.com/" must be an origin without path, e.g. https://app.example.com'
 */
export function originProblem(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `"${origin.slice(0, 100)}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${origin.slice(0, 100)}" must be http or https`;
  if (url.origin !== origin) return `"${origin.slice(0, 100)}" must be an origin without path, e.g. ${url.origin}`;
  return null;
}
