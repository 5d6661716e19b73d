/**
 * `GET /{cenv}/admin/export` (owner): the whole cenv as one SQLite file
 * (`application/vnd.sqlite3`, named after the cenv and the time), a consistent snapshot
 * taken with SQLite's backup API while writers go on; `?format=sql` gives the same snapshot
 * as SQL text instead. The snapshot goes to a scratch file first, so the download holds no
 * connection however slowly the client reads, and is removed when the download ends.
 * The file holds every user's password hash: it is the owner's, and each export is audited.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { DatabaseSync } from 'node:sqlite';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { removeCenvFiles } from '../../cenv/create.ts';
import { scratchFile } from '../../cenv/paths.ts';
import { snapshot } from '../../cenv/snapshot.ts';
import { dumpSql } from '../../cenv/sql-dump.ts';
import { audit } from '../../db/audit.ts';
import { actorOf } from '../caller.ts';
import { attachment } from '../download.ts';

const Query = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('sqlite'), Type.Literal('sql')])) }, { additionalProperties: false });

export async function adminExportRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Static<typeof Query> }>('/admin/export', { schema: { querystring: Query }, config: { access: 'owner' } }, async (request, reply) => {
    const { cenv } = request.caller;
    const format = request.query.format ?? 'sqlite';
    const file = scratchFile(app.deps.config.dataDir, 'export');
    await app.deps.pools.use(cenv.id, (db) => snapshot(db, file));
    const actor = actorOf(request);
    try {
      await app.deps.pools.use(cenv.id, (db) => audit(db, {
        action: 'export', detail: { format, bytes: statSync(file).size }, userId: actor.userId, username: actor.username, ip: actor.ip, userAgent: actor.userAgent,
      }));
    } catch (error) {
      removeCenvFiles(file);
      throw error;
    }
    let body: Readable;
    if (format === 'sql') {
      const db = new DatabaseSync(file, { open: true });
      body = Readable.from(dumpSql(db));
      body.once('close', () => {
        db.close();
        removeCenvFiles(file);
      });
      reply.type('application/sql; charset=utf-8');
    } else {
      body = createReadStream(file);
      body.once('close', () => removeCenvFiles(file));
      reply.type('application/vnd.sqlite3').header('content-length', String(statSync(file).size));
    }
    attachment(reply, cenv, null, format === 'sql' ? 'sql' : 'db');
    return reply.send(body);
  });
}
