/**
 * The template editor's data: templates and their queries as the admin API shapes them
 * (docs/pages.md, "Admin API"), the queries as an ordered list the editor can change, what
 * a preview answers, and where a save's error belongs (the source, or one query).
 */
import { ApiError } from '../../lib/api.ts';

export type Syntax = 'liquid' | 'markdown';
export interface StoredQuery { sql: string; first: boolean; required: boolean }

export interface TemplateInfo {
  id: number; path: string; syntax: Syntax; queries: Record<string, StoredQuery>; content_type: string;
  enabled: boolean; version: number; created_at: string; updated_at: string; updated_by: string | null;
}
export interface Template extends TemplateInfo { source: string }

/** One query as the editor holds it (names may be blank or repeated while typing). */
export interface QueryRow { name: string; sql: string; first: boolean; required: boolean }

export interface Draft { source: string; queries: QueryRow[] }

export interface PreviewReply {
  html: string; status: number; reads: string[]; duration_ms: number; not_found: boolean;
  error?: { message: string; line: number | null; query: string | null };
}

export interface CachedPage {
  path: string; template_id: number; template_version: number; status: number; rendered_at: string | null;
  reads: string[]; etag: string | null; bytes: number | null; error: string | null; error_at: string | null;
}

export const CONTENT_TYPES = ['text/html', 'text/plain', 'text/markdown', 'text/csv', 'text/xml', 'application/xml', 'application/json',
  'application/rss+xml', 'application/atom+xml', 'image/svg+xml'];

export function rowsOf(queries: Record<string, StoredQuery>): QueryRow[] {
  return Object.entries(queries).map(([name, q]) => ({ name, sql: q.sql, first: q.first, required: q.required }));
}

/** The API's form: a plain string for a list query, an object otherwise. */
export function queriesOf(rows: QueryRow[]): Record<string, string | StoredQuery> {
  return Object.fromEntries(rows.map((q) => [q.name.trim(), q.first || q.required ? { sql: q.sql, first: q.first, required: q.required } : q.sql]));
}

export function draftOf(t: Template): Draft {
  return { source: t.source, queries: rowsOf(t.queries) };
}

export function sameDraft(a: Draft, b: Draft): boolean {
  return a.source === b.source && JSON.stringify(a.queries) === JSON.stringify(b.queries);
}

/** A partial (a segment starting with `_`) is never served; it is included by others. */
export function isPartial(path: string): boolean {
  return path.split('/').some((segment) => segment.startsWith('_'));
}

export function paramsOf(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]\w*)/g)].map((m) => m[1]);
}

/** The Monaco language of a template's source. */
export function languageOf(syntax: Syntax): string {
  return syntax === 'markdown' ? 'markdown' : 'liquid';
}

/** Whether a preview's body is shown as a page (in the sandboxed frame) or as text. */
export function showsAsPage(contentType: string): boolean {
  return contentType === 'text/html' || contentType === 'image/svg+xml';
}

export interface SaveProblem { message: string; line: number | null; column: number | null; query: string | null }

/** Where a refused save's error belongs: a line of the source, or a query by name. */
export function saveProblemOf(error: unknown): SaveProblem | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const details = error.details ?? {};
  const query = typeof details.query === 'string' ? details.query : /^query "?([A-Za-z]\w*)"?/.exec(error.message)?.[1] ?? null;
  const line = typeof details.line === 'number' ? details.line : null;
  const column = typeof details.column === 'number' ? details.column : null;
  return { message: error.message, line, column, query };
}

export function starterSource(syntax: Syntax, path: string): string {
  const params = paramsOf(path);
  if (syntax === 'markdown') {
    return `# ${params.length ? `Item {{ params.${params[0]} }}` : 'A new page'}\n\nWritten in **Markdown**, with Liquid: {{ page.path }}\n`;
  }
  return `<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>{{ page.path }}</title>\n</head>\n<body>\n  <h1>${
    params.length ? `Item {{ params.${params[0]} }}` : 'Hello'}</h1>\n  <p>Add a query on the left, then show its rows here: {% raw %}{% for row in rows %}{{ row.title }}{% endfor %}{% endraw %}</p>\n</body>\n</html>\n`;
}
