/**
 * The UI's pages under `/{cenv}`: each answers a browser navigation with its HTML shell and
 * boot data (src/server/ui/shells.ts); the page then talks to the JSON API with the session
 * cookie and the CSRF header. Paths that also serve JSON (`/admin/users`,
 * `/admin/permissions`, `/admin/config`, `/admin/audit`) declare the `accept: html` constraint, so API clients keep getting
 * JSON from the same path (accept-html.ts).
 *
 * Access is declared like any cenv route; a missing or expired session becomes a redirect
 * to the login page and a role without access a page that says so (error-page.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readPrefs } from '../../auth/prefs.ts';
import type { Access } from '../types.ts';
import { ACCEPT_HTML } from './accept-html.ts';
import { uiErrorHandler } from './error-page.ts';
import { renderShell, type PageKind } from './shells.ts';

function cenvRef(request: FastifyRequest): { id: string; name: string | null; ref: string } {
  const { cenv } = request.caller;
  return { id: cenv.id, name: cenv.name, ref: (request.params as { cenv: string }).cenv };
}

function send(reply: FastifyReply, kind: PageKind, boot: Record<string, unknown>): FastifyReply {
  // The boot data names the user: never cached, by the browser or anything between.
  return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderShell(kind, boot));
}

/** @example app.register(cenvScope([uiPageRoutes, …]), { prefix: '/:cenv' }) */
export async function uiPageRoutes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(uiErrorHandler);

  const page = (path: string, kind: PageKind, access: Exclude<Access, 'none' | 'anonymous'>, htmlOnly = false) => {
    app.get(path, { config: { access, kind: 'ui' }, ...(htmlOnly ? { constraints: ACCEPT_HTML } : {}) }, async (request, reply) => {
      const { principal } = request.caller;
      const prefs = await app.deps.pools.use(request.caller.cenv.id, (db) => readPrefs(db, principal.userId!));
      return send(reply, kind, {
        cenv: cenvRef(request),
        user: { id: principal.userId, username: principal.username, role: principal.role },
        prefs,
      });
    });
  };

  // `/{cenv}/` (the app's public face: its `index` page, else a redirect to the dashboard)
  // belongs to the pages feature: src/server/routes/pages.ts.

  app.get('/login', { config: { access: 'none', kind: 'ui' } }, async (request, reply) => send(reply, 'login', { cenv: cenvRef(request) }));
  page('/dashboard', 'dashboard', 'user');
  page('/console', 'console', 'user');
  page('/editor/scripts', 'scripts', 'admin');
  page('/editor/templates', 'templates', 'admin');
  page('/admin/users', 'users', 'admin', true);
  page('/admin/permissions', 'permissions', 'admin', true);
  page('/admin/config', 'config', 'admin', true);
  page('/admin/audit', 'audit', 'admin', true);

  // A browser navigation to the JSON lists of endpoints and templates goes to their editor.
  const toEditor = (path: string, editor: string) => app.get(path, { config: { access: 'admin', kind: 'ui' }, constraints: ACCEPT_HTML },
    async (request, reply) => reply.header('cache-control', 'no-store').redirect(`/${encodeURIComponent((request.params as { cenv: string }).cenv)}${editor}`, 302));
  toEditor('/admin/endpoints', '/editor/scripts');
  toEditor('/admin/templates', '/editor/templates');
}
