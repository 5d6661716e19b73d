/**
 * A user's sessions, for owners and admins: `GET /{cenv}/admin/users/{id}/sessions`,
 * `DELETE /{cenv}/admin/users/{id}/sessions` (all of them) and
 * `DELETE /{cenv}/admin/users/{id}/sessions/{sessionId}`. Rules and audit in
 * src/access/user-admin.ts (`revokeUserSessions`); the cenv's cached session checks are
 * dropped before the reply (publishChange), so an ended session is refused at once.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { revokeUserSessions } from '../../access/user-admin.ts';
import { listSessions } from '../../auth/sessions.ts';
import { findUserById } from '../../auth/users.ts';
import { NotFoundError } from '../../errors.ts';
import { actorOf, publishChange } from '../caller.ts';

const UserParams = Type.Object({ cenv: Type.String(), id: Type.String({ maxLength: 64 }) });
const SessionParams = Type.Object({ cenv: Type.String(), id: Type.String({ maxLength: 64 }), session: Type.String({ maxLength: 64 }) });

export async function adminUserSessionRoutes(app: FastifyInstance): Promise<void> {
  const admin = { access: 'admin' } as const;
  app.get<{ Params: Static<typeof UserParams> }>('/admin/users/:id/sessions', { schema: { params: UserParams }, config: admin }, async (request) => {
    const sessions = await app.deps.pools.use(request.caller.cenv.id, (db) => {
      if (!findUserById(db, request.params.id)) throw new NotFoundError(`no user with id ${request.params.id}`);
      return listSessions(db, request.params.id);
    });
    return {
      sessions: sessions.map((s) => ({
        id: s.id, created_at: s.createdAt, expires_at: s.expiresAt, last_used: s.lastUsed, ip: s.ip, user_agent: s.userAgent,
        current: s.id === request.caller.principal.sessionId,
      })),
    };
  });

  app.delete<{ Params: Static<typeof UserParams> }>('/admin/users/:id/sessions', { schema: { params: UserParams }, config: admin }, async (request) => {
    const revoked = await app.deps.pools.use(request.caller.cenv.id,
      (db) => revokeUserSessions(db, request.caller.principal, request.params.id, null, actorOf(request)));
    publishChange(request, 'sessions');
    return { revoked };
  });

  app.delete<{ Params: Static<typeof SessionParams> }>('/admin/users/:id/sessions/:session', { schema: { params: SessionParams }, config: admin }, async (request) => {
    const revoked = await app.deps.pools.use(request.caller.cenv.id,
      (db) => revokeUserSessions(db, request.caller.principal, request.params.id, request.params.session, actorOf(request)));
    publishChange(request, 'sessions');
    return { revoked };
  });
}
