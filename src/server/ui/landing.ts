/**
 * `GET /`: the landing page (what WCE is, a form to create a cenv, links to the docs). It
 * says so instead of showing the form when the server does not allow new cenvs.
 */
import type { FastifyInstance } from 'fastify';
import { uiErrorHandler } from './error-page.ts';
import { renderShell } from './shells.ts';

export async function landingRoutes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(uiErrorHandler);
  app.get('/', { config: { kind: 'ui' } }, async (_request, reply) => {
    const html = renderShell('landing', { allow_new_cenvs: app.deps.config.allowNewCenvs });
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });
}
