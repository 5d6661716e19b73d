/**
 * A Vite plugin that writes `name.br` and `name.gz` next to every built asset under
 * /static/ once the bundle is on disk, so the server sends compressed bytes without
 * compressing per request (@fastify/static `preCompressed`). Files that do not shrink by at
 * least 5% are left alone (fonts and images are compressed already).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|map|ttf|wasm)$/;

function compressDir(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) { compressDir(file); continue; }
    if (!COMPRESSIBLE.test(entry.name)) continue;
    const raw = readFileSync(file);
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    const gz = gzipSync(raw, { level: 9 });
    if (br.length < raw.length * 0.95) writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length * 0.95) writeFileSync(`${file}.gz`, gz);
  }
}

/** @example plugins: [precompress()] */
export function precompress(): Plugin {
  let outDir = '';
  let assetsDir = '';
  return {
    name: 'wce-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
      assetsDir = config.build.assetsDir;
    },
    closeBundle() {
      compressDir(path.join(outDir, assetsDir));
    },
  };
}
