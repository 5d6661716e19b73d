/**
 * The page cache (owner/admin): `GET /{cenv}/admin/pages` lists every cached page (path,
 * template, when it was rendered, the tables it read, its ETag, the last error) and
 * `POST /{cenv}/admin/pages/refresh` queues a re-render of all of them (202: renders run
 * in the background; the list shows their progress in `rendered_at`).
 */
import type { FastifyInstance } from 'fastify';

export async function adminPageRoutes(app: FastifyInstance): Promise<void> {
  const admin = { access: 'admin' } as const;

  app.get('/admin/pages', { config: admin }, async (request) => {
    const entries = await app.deps.pages.list(request.caller.cenv.id);
    return {
      pages: entries.map((e) => ({
        path: e.path, template_id: e.templateId, template_version: e.templateVersion, status: e.status,
        rendered_at: e.renderedAt, reads: e.reads, etag: e.etag, bytes: e.bytes, error: e.error, error_at: e.errorAt,
      })),
    };
  });

  app.post('/admin/pages/refresh', { config: admin }, async (request, reply) => {
    const queued = await app.deps.pages.refreshAll(request.caller.cenv.id);
    return reply.code(202).send({ queued });
  });
}
