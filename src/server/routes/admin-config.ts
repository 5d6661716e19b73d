/**
 * The cenv's settings: `GET /{cenv}/admin/config` (owner and admins) lists every key of the
 * registry with its value, the server's value, where the value comes from (`default`, `env`,
 * `cenv`), its type and what may be set here; `PUT` (owner) sets several keys at once, all
 * validated before any is written; `DELETE …/config/{key}` (owner) returns one to the
 * server's value. Changes are audited and apply from the next request on, in this process
 * (its cache is dropped here) and in every sandbox child (they notice the commit through
 * `PRAGMA data_version`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { deleteSetting, readConfigRows, storeSettings } from '../../cenv/settings-store.ts';
import { describeSettings } from '../../cenv/settings-describe.ts';
import { isSettingKey } from '../../cenv/settings.ts';
import { audit } from '../../db/audit.ts';
import { ValidationError } from '../../errors.ts';
import { transaction } from '../../tools/transaction.ts';
import { actorOf, publishChange } from '../caller.ts';

const Changes = Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Unknown(), { minProperties: 1, maxProperties: 64 });
const KeyParams = Type.Object({ cenv: Type.String(), key: Type.String({ maxLength: 64 }) });

async function describe(app: FastifyInstance, request: FastifyRequest) {
  const rows = await app.deps.pools.use(request.caller.cenv.id, readConfigRows);
  return { settings: describeSettings(rows, app.deps.settings.server) };
}

/** After a committed change: this process reads the settings again, listeners hear of it. */
function changed(app: FastifyInstance, request: FastifyRequest): void {
  app.deps.settings.invalidate(request.caller.cenv.id);
  publishChange(request, 'config');
}

export async function adminConfigRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/config', { config: { access: 'admin' } }, async (request) => describe(app, request));

  app.put<{ Body: Static<typeof Changes> }>('/admin/config', { schema: { body: Changes }, config: { access: 'owner' } }, async (request) => {
    const actor = actorOf(request);
    await app.deps.pools.use(request.caller.cenv.id, (db) => transaction(db, () => {
      // Validates every key first (unknown, wrong type, out of bounds: a 400 naming it), then writes all.
      storeSettings(db, request.body, app.deps.settings.server);
      audit(db, { action: 'config_changed', detail: { changes: request.body }, userId: actor.userId, username: actor.username, ip: actor.ip, userAgent: actor.userAgent });
    }));
    changed(app, request);
    return describe(app, request);
  });

  app.delete<{ Params: Static<typeof KeyParams> }>('/admin/config/:key', { schema: { params: KeyParams }, config: { access: 'owner' } }, async (request) => {
    const { key } = request.params;
    if (!isSettingKey(key)) throw new ValidationError(`unknown setting "${key.slice(0, 64)}"`);
    const actor = actorOf(request);
    const removed = await app.deps.pools.use(request.caller.cenv.id, (db) => transaction(db, () => {
      const gone = deleteSetting(db, key);
      if (gone) audit(db, { action: 'config_reset', detail: { key }, userId: actor.userId, username: actor.username, ip: actor.ip, userAgent: actor.userAgent });
      return gone;
    }));
    if (removed) changed(app, request);
    return { removed, ...(await describe(app, request)) };
  });
}
