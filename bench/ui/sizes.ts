/**
 * What each UI page downloads, from the build in web/dist: the scripts and styles its HTML
 * loads at once (entry, modulepreloads, stylesheets), and for the console what it loads
 * later (Monaco's worker, the SQL grammar, vim mode, the icon font). Sizes are the bytes
 * sent: the .br files (what Chromium gets), with gzip and raw beside them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PAGE_KINDS, WEB_DIST } from '../../src/server/ui/shells.ts';

export interface Asset { file: string; raw: number; gz: number; br: number }
export interface PageSize { page: string; js: Asset[]; css: Asset[]; later: Asset[] }

function size(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

function asset(url: string): Asset {
  const file = path.join(WEB_DIST, url);
  const raw = size(file);
  // Files that do not shrink were not precompressed: they are sent as they are.
  return { file: url, raw, gz: size(`${file}.gz`) || raw, br: size(`${file}.br`) || raw };
}

/** What a page can load later: dynamic imports and workers named in its scripts, fonts in its styles. */
function laterChunks(scripts: string[], initial: Set<string>): string[] {
  const found = new Set<string>();
  const queue = [...scripts];
  while (queue.length) {
    const url = queue.pop()!;
    const text = readFileSync(path.join(WEB_DIST, url), 'utf8');
    for (const match of text.matchAll(/["'`(](?:\.\/|\/static\/)?([\w.-]+-[\w-]{8}\.(?:js|ttf|css))["'`)]/g)) {
      const next = `/static/${match[1]}`;
      if (initial.has(next) || found.has(next) || !existsSync(path.join(WEB_DIST, next))) continue;
      found.add(next);
      if (next.endsWith('.js') || next.endsWith('.css')) queue.push(next);
    }
  }
  return [...found];
}

/** Every page kind with what it loads. */
export function pageSizes(): PageSize[] {
  return PAGE_KINDS.map((page) => {
    const html = readFileSync(path.join(WEB_DIST, `${page}.html`), 'utf8');
    const js = [...html.matchAll(/<(?:script[^>]*src|link rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1]);
    const css = [...html.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+\.css)"/g)].map((m) => m[1]);
    const initial = new Set([...js, ...css]);
    return { page, js: js.map(asset), css: css.map(asset), later: laterChunks([...js, ...css], initial).map(asset) };
  });
}

export function sum(assets: Asset[], key: 'raw' | 'gz' | 'br'): number {
  return assets.reduce((total, a) => total + a[key], 0);
}
