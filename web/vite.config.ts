/**
 * The browser IDE's build: one HTML entry per page kind, so each page loads only its own
 * code (Monaco only on pages that edit), assets under /static/ with content hashes (served
 * immutable), and every asset precompressed (.br, .gz) for @fastify/static's preCompressed.
 *
 * Run by `npm install` (the `prepare` script) and `npm run build:web`; output in web/dist/.
 */
import { defineConfig } from 'vite';
import path from 'node:path';
import { htmlPages } from './build/html-pages.ts';
import { precompress } from './build/precompress.ts';

const here = import.meta.dirname;

/** Page kinds: each becomes web/dist/<name>.html from web/page.html and web/src/entries/<name>.tsx. */
export const PAGES = ['landing', 'login', 'dashboard', 'users', 'permissions', 'config', 'audit', 'console', 'scripts', 'templates', 'notice'] as const;

export default defineConfig({
  root: here,
  base: '/',
  // node_modules is shared between worktrees: keep Vite's cache inside web/.
  cacheDir: path.join(here, '.cache'),
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    // monaco-vim imports Monaco internals by their esm/ path, which monaco-editor's
    // "exports" map does not list; point those imports at the files themselves.
    alias: [
      { find: /^monaco-vim$/, replacement: path.join(here, '../node_modules/monaco-vim/dist/index.mjs') },
      { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: path.join(here, '../node_modules/monaco-editor/esm/vs/$1') }],
  },
  worker: { format: 'es' },
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    assetsDir: 'static',
    target: 'es2022',
    sourcemap: process.env.WCE_SOURCEMAP === '1',
    // Monaco's chunk is large by nature; the budget that matters is checked by bench (ui).
    chunkSizeWarningLimit: 5000,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // Brotli at quality 11 (build/precompress.ts) takes seconds on Monaco's chunk by design;
      // Rolldown's "plugin is slow" notice would only add noise to every `npm install`.
      checks: { bundlerTimings: false },
      input: Object.fromEntries(PAGES.map((page) => [page, path.join(here, `${page}.html`)])),
      // Named shared chunks, so bundle reports say what is what (and Preact, shared by every
      // page, stays cached across pages and deploys that do not update it).
      output: {
        codeSplitting: {
          groups: [
            { name: 'preact', test: /node_modules[\\/]preact[\\/]/ },
            // Language grammars stay in chunks of their own: each editor page loads only its own.
            { name: 'monaco', test: /node_modules[\\/]monaco-editor[\\/](?!esm[\\/]vs[\\/]languages[\\/])/ },
          ],
        },
      },
    },
  },
  plugins: [htmlPages(here, PAGES), precompress()],
});
