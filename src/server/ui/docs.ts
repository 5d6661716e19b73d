/**
 * `GET /docs`: the API reference, a page of the web UI that renders `/openapi.json` (routes
 * by tag, parameters, bodies, responses, error codes, auth). Built with the rest of the UI, so
 * it works offline and under the UI's Content-Security-Policy (no CDN, no inline script).
 */
import type { FastifyInstance } from 'fastify';
import { uiErrorHandler } from './error-page.ts';
import { renderShell } from './shells.ts';

export async function docsRoutes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(uiErrorHandler);
  app.get('/docs', { config: { kind: 'ui' } }, async (_request, reply) => {
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(renderShell('docs', {}));
  });
}
