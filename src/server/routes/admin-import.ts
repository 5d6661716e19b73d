/**
 * `POST /{cenv}/admin/import?confirm={cenv id}` (owner): replaces the whole cenv with an
 * uploaded cenv file (raw `application/vnd.sqlite3` or multipart; at most
 * `max_import_bytes`, and no larger than `max_db_bytes`). In order:
 *
 * 1. the upload goes to a scratch file; a sandbox child checks it (SQLite file, integrity,
 *    a WCE schema this version can migrate, WCE's tables as WCE makes them, one owner),
 *    migrates it and drops its sessions (src/cenv/inspect.ts);
 * 2. the file's owner must be the caller or be proven by their password (cenv-files.ts);
 * 3. the cenv is drained (no work in flight anywhere), its content is kept as the previous
 *    file and replaced in one SQLite transaction (src/cenv/snapshot.ts);
 * 4. the import is audited in the new content and published on the bus.
 *
 * Anything wrong before step 3 is a 4xx naming the problem, and the cenv is exactly as it
 * was. Every session ends (the file's sessions were dropped): log in again.
 * `POST …/admin/import/undo` puts the previous content back, once.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { hasPrevious, replaceCenv, restorePrevious } from '../../cenv/snapshot.ts';
import { audit, type AuditEntry } from '../../db/audit.ts';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '../../errors.ts';
import { actorOf, hashFor, publishChange } from '../caller.ts';
import { givenPassword, inspectUpload, proveFileOwner } from '../cenv-files.ts';
import { acceptUploads, receiveUpload } from '../upload.ts';

const Query = Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });

const LOG_IN_AGAIN = 'every session of this cenv has ended; log in again';

/** Audits in the cenv's (new) content, as the caller. */
async function auditAfter(app: FastifyInstance, request: FastifyRequest, entry: Omit<AuditEntry, 'userId' | 'username' | 'ip' | 'userAgent'>): Promise<void> {
  const actor = actorOf(request);
  await app.deps.pools.use(request.caller.cenv.id, (db) => audit(db, { ...entry, userId: actor.userId, username: actor.username, ip: actor.ip, userAgent: actor.userAgent }));
}

export async function adminImportRoutes(app: FastifyInstance): Promise<void> {
  await acceptUploads(app);
  const { dataDir } = app.deps.config;

  app.post<{ Querystring: Static<typeof Query> }>('/admin/import', {
    schema: { querystring: Query },
    config: { access: 'owner', bodyLimitSetting: 'max_import_bytes' },
  }, async (request) => {
    const { cenv, settings, principal } = request.caller;
    if (request.query.confirm !== cenv.id) {
      throw new ValidationError(`importing replaces the whole cenv: add ?confirm=${cenv.id} (this cenv's id) to the URL`);
    }
    const upload = await receiveUpload(request, { dataDir, maxBytes: settings.max_import_bytes, limitName: 'max_import_bytes' });
    let info;
    try {
      if (upload.bytes > settings.max_db_bytes) {
        throw new PayloadTooLargeError(`the file is ${upload.bytes} bytes; this cenv may hold at most ${settings.max_db_bytes} (max_db_bytes)`);
      }
      info = await inspectUpload(app, request, cenv.id, upload.file, settings);
      await proveFileOwner(app, info, givenPassword(request, upload), hashFor(request), principal.userId);
      await app.deps.exclusive(cenv.id, () => replaceCenv(dataDir, cenv.id, upload.file));
    } finally {
      upload.discard();
    }
    await auditAfter(app, request, {
      action: 'import', detail: { bytes: info.bytes, schema_from: info.fromVersion, schema_to: info.toVersion, owner: info.owner.username, users: info.users, tables: info.tables },
    });
    publishChange(request, 'import');
    return {
      imported: true, bytes: info.bytes, tables: info.tables, users: info.users,
      schema: { from: info.fromVersion, to: info.toVersion },
      owner: { id: info.owner.id, username: info.owner.username },
      undo: `POST ${request.url.split('?')[0]}/undo`,
      note: LOG_IN_AGAIN,
    };
  });

  app.post('/admin/import/undo', { config: { access: 'owner' } }, async (request) => {
    const { cenv } = request.caller;
    if (!hasPrevious(dataDir, cenv.id)) throw new NotFoundError('there is no import to undo (one undo is kept, until the next import)');
    const restored = await app.deps.exclusive(cenv.id, () => restorePrevious(dataDir, cenv.id));
    if (!restored) throw new NotFoundError('there is no import to undo');
    await auditAfter(app, request, { action: 'import_undone' });
    publishChange(request, 'import');
    return { restored: true, note: 'the cenv is as it was before the import; its sessions of then are back' };
  });
}
