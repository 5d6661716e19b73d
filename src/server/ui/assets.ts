/**
 * `/static/…`: the UI's built assets (web/dist/static). Every name carries a content hash,
 * so each is cached for a year as `immutable`; a new build produces new names. Vite's build
 * wrote a `.br` and a `.gz` beside each text asset, served by @fastify/static's
 * `preCompressed` to clients that accept them, so nothing is compressed per request.
 *
 * Assets get the UI's security headers, not the API's: Monaco's editor worker is one of
 * these files, and a worker runs under the policy its own script was served with.
 */
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UnavailableError } from '../../errors.ts';
import { WEB_DIST } from './shells.ts';

export async function uiAssets(app: FastifyInstance): Promise<void> {
  const root = path.join(WEB_DIST, 'static');
  if (!existsSync(root)) {
    app.get('/static/*', { config: { kind: 'ui' } }, async () => {
      throw new UnavailableError('the web UI is not built; run `npm run build:web` (npm install does this)');
    });
    return;
  }
  // @fastify/static declares its own routes; mark them as UI routes for plugins/headers.ts.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, kind: 'ui' };
  });
  await app.register(fastifyStatic, {
    root, prefix: '/static/', preCompressed: true, immutable: true, maxAge: '365d', index: false, lastModified: false,
  });
}
