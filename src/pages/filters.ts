/**
 * WCE's own Liquid filters, on top of LiquidJS's standard ones (url_encode, default, date,
 * where, map, …):
 *
 * - `json` / `jsonify`: JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped as `\uXXXX`, so the
 *   text can never close a `<script>` element. Still HTML-escaped by default like any output;
 *   inside `<script>` write `{{ data | json | raw }}`.
 * - `markdown`: markdown rendered and sanitized (markdown.ts); its HTML is output as is.
 * - dates: SQLite's `YYYY-MM-DD HH:MM:SS` text (what `datetime('now')` and CURRENT_TIMESTAMP
 *   store) carries no zone; JavaScript would read it as server-local time, so these filters
 *   read it as UTC, which is what SQLite meant. Renders run with UTC as their time zone.
 *
 * @example {{ post.created_at | date: "%Y-%m-%d" }}  {{ post.body | markdown }}  {{ post | json }}
 */
import type { Liquid } from 'liquidjs';
import { markdownToHtml } from './markdown.ts';

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;
const SQLITE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?$/;
const DATE_FILTERS = ['date', 'date_to_xmlschema', 'date_to_rfc822', 'date_to_string', 'date_to_long_string'];

/**
 * JSON text that is safe inside `<script>` and in HTML text.
 * @example safeJson({ a: '</script>' }) // '{"a":"\\u003c/script\\u003e"}'
 */
export function safeJson(value: unknown, indent?: unknown): string {
  const space = typeof indent === 'number' && indent > 0 ? Math.min(indent, 8) : undefined;
  const text = JSON.stringify(value === undefined ? null : value, null, space) ?? 'null';
  return text.replace(UNSAFE_IN_SCRIPT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A zone-less SQLite date/time text as an ISO time in UTC; anything else unchanged. */
export function utcDate(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = SQLITE_TIME.exec(value.trim());
  if (!match) return value;
  return `${match[1]}T${match[2] ?? '00:00:00'}Z`;
}

type FilterFn = (this: unknown, value: unknown, ...args: unknown[]) => unknown;

/** Adds WCE's filters to `liquid` (replacing LiquidJS's json, jsonify and date filters). */
export function registerFilters(liquid: Liquid): void {
  liquid.registerFilter('json', (value: unknown, indent?: unknown) => safeJson(value, indent));
  liquid.registerFilter('jsonify', (value: unknown, indent?: unknown) => safeJson(value, indent));
  liquid.registerFilter('markdown', { handler: (value: unknown) => markdownToHtml(value == null ? '' : String(value)), raw: true });
  for (const name of DATE_FILTERS) {
    const builtin = liquid.filters[name] as unknown as FilterFn;
    liquid.registerFilter(name, function (this: unknown, value: unknown, ...args: unknown[]) {
      return builtin.call(this, utcDate(value), ...args);
    });
  }
}
