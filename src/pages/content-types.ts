/**
 * The content types a page may be served as. Pages share WCE's origin, so the list is an
 * allowlist of document and data types: no `javascript` or `css`, which WCE's own pages
 * (whose CSP allows scripts and styles from 'self') could be tricked into loading from a
 * tenant. Every type here is text, served as UTF-8. The type also decides output escaping:
 * markup types escape `{{ value }}` for HTML/XML, data types (JSON, CSV, plain text) do not,
 * since `&lt;` would corrupt them (use the `json` filter to build JSON).
 */
export const CONTENT_TYPES: readonly string[] = [
  'text/html', 'text/plain', 'text/markdown', 'text/csv', 'text/xml',
  'application/xml', 'application/json', 'application/rss+xml', 'application/atom+xml', 'image/svg+xml',
];

/**
 * Why `type` cannot be a page's content type, or null.
 * @example contentTypeProblem('application/javascript') // 'content_type must be one of …'
 */
export function contentTypeProblem(type: string): string | null {
  return CONTENT_TYPES.includes(type) ? null : `content_type must be one of ${CONTENT_TYPES.join(', ')}`;
}

/** Markup types: `{{ value }}` is HTML/XML-escaped in these; in the others (JSON, CSV, plain text) it is output as it is. */
const MARKUP: readonly string[] = ['text/html', 'text/xml', 'application/xml', 'application/rss+xml', 'application/atom+xml', 'image/svg+xml'];

/** True when outputs of a template served as `type` are escaped for HTML/XML. */
export function escapesMarkup(type: string): boolean {
  return MARKUP.includes(type);
}

/** The Content-Type header for a stored type. */
export function contentTypeHeader(type: string): string {
  return `${type}; charset=utf-8`;
}
