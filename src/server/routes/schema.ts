/**
 * `GET /{cenv}/schema`: the tables, views and columns the caller may read (owner/admin: all
 * of them; users: the tables they hold a select grant on). The console completes names from
 * it; WCE's own `_wce_*` tables never appear.
 */
import type { FastifyInstance } from 'fastify';
import { visibleSchema } from '../../access/schema.ts';

export async function schemaRoutes(app: FastifyInstance): Promise<void> {
  app.get('/schema', { config: { access: 'user' } }, async (request) => {
    const { cenv, principal } = request.caller;
    return { tables: await app.deps.pools.use(cenv.id, (db) => visibleSchema(db, principal)) };
  });
}
