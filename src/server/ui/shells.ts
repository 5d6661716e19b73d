/**
 * The UI's HTML pages are static shells built by Vite (web/dist/<page>.html, one per page
 * kind, referencing hashed assets under /static/). Per request the server adds only the
 * page's boot data — who is signed in, which cenv, the user's preferences — as an
 * HTML-escaped JSON attribute on <body>, read by the page's script: no inline script, so
 * the UI's Content-Security-Policy stays strict.
 *
 * Shells are read once and kept in memory. Without a build (web/dist missing) the pages
 * answer 503 saying how to build; the JSON API works regardless.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UnavailableError } from '../../errors.ts';

/** Where Vite writes the UI (web/vite.config.ts). */
export const WEB_DIST = path.resolve(import.meta.dirname, '../../../web/dist');

export const PAGE_KINDS = ['landing', 'login', 'dashboard', 'users', 'permissions', 'config', 'audit', 'console', 'scripts', 'templates', 'notice'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

const PLACEHOLDER = 'data-boot="{}"';
const cache = new Map<PageKind, [string, string]>();

/** Escapes text for a double-quoted HTML attribute or element content. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shell(kind: PageKind): [string, string] {
  let parts = cache.get(kind);
  if (!parts) {
    let html: string;
    try {
      html = readFileSync(path.join(WEB_DIST, `${kind}.html`), 'utf8');
    } catch {
      throw new UnavailableError('the web UI is not built; run `npm run build:web` (npm install does this) and reload');
    }
    const at = html.indexOf(PLACEHOLDER);
    if (at < 0) throw new Error(`web/dist/${kind}.html has no ${PLACEHOLDER} placeholder`);
    parts = [html.slice(0, at), html.slice(at + PLACEHOLDER.length)];
    cache.set(kind, parts);
  }
  return parts;
}

/**
 * The page `kind` with `boot` as its data.
 * @example reply.type('text/html').send(renderShell('console', { user, cenv, prefs }))
 */
export function renderShell(kind: PageKind, boot: Record<string, unknown>): string {
  const [head, tail] = shell(kind);
  return `${head}data-boot="${escapeHtml(JSON.stringify({ page: kind, ...boot }))}"${tail}`;
}

/** True when the UI has been built (checked by tests and the start-up log). */
export function uiBuilt(): boolean {
  try {
    shell('notice');
    return true;
  } catch {
    return false;
  }
}
