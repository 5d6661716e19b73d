/**
 * `GET /{cenv}/admin/overview` (owner/admin): the dashboard's data in one request — name,
 * id, URL, size against its cap, counts, tables with row counts, recent audit entries.
 */
import type { FastifyInstance } from 'fastify';
import { cenvOverview } from '../../access/overview.ts';
import { baseUrl } from '../url.ts';

export async function adminOverviewRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/overview', { config: { access: 'admin' } }, async (request) => {
    const { cenv, settings } = request.caller;
    const overview = await app.deps.pools.use(cenv.id, (db) => cenvOverview(db));
    return {
      id: cenv.id,
      name: cenv.name,
      url: `${baseUrl(request)}/${cenv.name ?? cenv.id}/`,
      created_at: cenv.createdAt,
      size: { ...overview.size, max_bytes: settings.max_db_bytes },
      counts: overview.counts,
      tables: overview.tables,
      audit: overview.audit,
    };
  });
}
