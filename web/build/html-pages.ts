/**
 * A Vite plugin that builds every page kind from one template (web/page.html): the build's
 * inputs are `web/<page>.html`, which do not exist as files; this plugin answers for them
 * with the template and the page's entry script (`/src/entries/<page>.tsx`). Vite then
 * treats each like a real HTML entry (hashed script, modulepreloads, styles).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/** @example plugins: [htmlPages(here, PAGES)], input: PAGES.map((p) => path.join(here, `${p}.html`)) */
export function htmlPages(root: string, pages: readonly string[]): Plugin {
  const template = readFileSync(path.join(root, 'page.html'), 'utf8');
  const byId = new Map(pages.map((page) => [path.join(root, `${page}.html`), page]));
  return {
    name: 'wce-html-pages',
    enforce: 'pre',
    resolveId(id) {
      return byId.has(id) ? id : null;
    },
    load(id) {
      const page = byId.get(id);
      return page === undefined ? null : template.replace('%ENTRY%', `/src/entries/${page}.tsx`);
    },
  };
}
