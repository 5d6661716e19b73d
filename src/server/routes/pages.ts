/**
 * A cenv's public face: `GET /{cenv}/pages/{path}` serves rendered pages from the page cache
 * (rendering on a miss), with an ETag (`If-None-Match` → 304) and `Cache-Control: no-cache`
 * so browsers revalidate and see a commit's effect at once; `GET /{cenv}/` serves the
 * `index` page when there is one, else redirects to the owner's dashboard. Anyone may read
 * them (pages render as anonymous, so credentials change nothing and are not checked), and
 * they carry the tenant sandbox policy: a tenant wrote them. HEAD works for both.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { concretePath } from '../../pages/paths.ts';
import type { ServedPage } from '../../pages/memory-cache.ts';

const PUBLIC = { access: 'none', kind: 'tenant', cors: true } as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function notFound(reply: FastifyReply, path: string): FastifyReply {
  const html = `<!doctype html>\n<meta charset="utf-8">\n<title>Not found</title>\n<h1>Not found</h1>\n<p>There is no page at ${escapeHtml(path.slice(0, 200))}.</p>\n`;
  return reply.code(404).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

/** True when `If-None-Match` names `etag` (or `*`); weak comparison, as RFC 9110 says for it. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}

function send(request: FastifyRequest, reply: FastifyReply, page: ServedPage): FastifyReply {
  reply.headers({ 'cache-control': 'no-cache', etag: page.etag, 'content-type': page.contentType });
  if (page.status === 200 && matches(request.headers['if-none-match'], page.etag)) return reply.code(304).send();
  return reply.code(page.status).send(page.body);
}

/** The part of the URL after `/{cenv}/pages`, still percent-encoded. */
function rawPagePath(url: string): string {
  const afterCenv = url.indexOf('/', 1);
  return url.slice(afterCenv + '/pages'.length).replace(/^\//, '');
}

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  const serve = (request: FastifyRequest, reply: FastifyReply, path: string | null): FastifyReply | Promise<FastifyReply> => {
    if (path === null) return notFound(reply, 'this address');
    const { cenv, ip, userAgent } = request.caller;
    // The common case, a page in memory, is answered without a promise in between.
    const hit = app.deps.pages.memory.get(cenv.id, path);
    if (hit) {
      app.deps.metrics.pageCache('hit');
      return send(request, reply, hit);
    }
    // A miss may render now: the visitor's address counts against the sandbox's per-address cap.
    const origin = { ipKey: ip, context: { ip, userAgent, requestId: request.id } };
    return app.deps.pages.serve(cenv.id, path, origin).then((page) => (page ? send(request, reply, page) : notFound(reply, path)));
  };

  app.get('/pages', { config: PUBLIC }, (request, reply) => serve(request, reply, 'index'));
  app.get('/pages/*', { config: PUBLIC }, (request, reply) => serve(request, reply, concretePath(rawPagePath(request.url))));

  app.get('/', { config: PUBLIC }, async (request, reply) => {
    const segment = (request.params as { cenv: string }).cenv;
    if (!(await app.deps.pages.hasIndex(request.caller.cenv.id))) return reply.redirect(`/${segment}/dashboard`, 302);
    // Relative links in the index page must resolve below /{cenv}/.
    if (!request.url.split('?')[0].endsWith('/')) return reply.redirect(`/${segment}/`, 302);
    return serve(request, reply, 'index');
  });
}
