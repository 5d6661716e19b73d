/**
 * The caller's own IDE preferences: `GET /{cenv}/me/prefs` and `PUT /{cenv}/me/prefs`
 * (any of the keys in src/auth/prefs.ts; the reply is the whole set after the change).
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { prefsProblem, readPrefs, writePrefs, type Prefs } from '../../auth/prefs.ts';
import { ValidationError } from '../../errors.ts';

// The keys and their values are checked by prefsProblem, the one list of preferences.
const Changes = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { minProperties: 1, maxProperties: 16 });

export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.get('/me/prefs', { config: { access: 'user' } }, async (request) => {
    const { cenv, principal } = request.caller;
    return { prefs: await app.deps.pools.use(cenv.id, (db) => readPrefs(db, principal.userId!)) };
  });

  app.put<{ Body: Static<typeof Changes> }>('/me/prefs', { schema: { body: Changes }, config: { access: 'user' } }, async (request) => {
    const problem = prefsProblem(request.body);
    if (problem) throw new ValidationError(problem);
    const { cenv, principal } = request.caller;
    return { prefs: await app.deps.pools.use(cenv.id, (db) => writePrefs(db, principal.userId!, request.body as Partial<Prefs>)) };
  });
}
