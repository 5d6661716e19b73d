/**
 * The caller's own sessions: `GET /{cenv}/sessions`, `DELETE /{cenv}/sessions/{id}`,
 * `DELETE /{cenv}/sessions` (all of them, this one included).
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { listSessions, revokeAllSessions, revokeSession } from '../../auth/sessions.ts';
import { audit } from '../../db/audit.ts';
import { NotFoundError } from '../../errors.ts';
import { publishChange } from '../caller.ts';

const Params = Type.Object({ cenv: Type.String(), id: Type.String({ maxLength: 64 }) });

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  app.get('/sessions', { config: { access: 'user', cors: true } }, async (request) => {
    const { cenv, principal: { userId, sessionId } } = request.caller;
    const sessions = await app.deps.pools.use(cenv.id, (db) => listSessions(db, userId!));
    return {
      sessions: sessions.map((s) => ({
        id: s.id, created_at: s.createdAt, expires_at: s.expiresAt, last_used: s.lastUsed,
        ip: s.ip, user_agent: s.userAgent, current: s.id === sessionId,
      })),
    };
  });

  app.delete<{ Params: Static<typeof Params> }>('/sessions/:id', { schema: { params: Params }, config: { access: 'user', cors: true } }, async (request) => {
    const { cenv, ip, principal: { userId, username } } = request.caller;
    const revoked = await app.deps.pools.use(cenv.id, (db) => {
      const done = revokeSession(db, userId!, request.params.id);
      if (done) audit(db, { action: 'session_revoked', userId, username, detail: { session_id: request.params.id }, ip });
      return done;
    });
    if (!revoked) throw new NotFoundError('no active session with that id belongs to you');
    publishChange(request, 'sessions');
    return { revoked: 1 };
  });

  app.delete('/sessions', { config: { access: 'user', cors: true } }, async (request) => {
    const { cenv, ip, principal: { userId, username } } = request.caller;
    const revoked = await app.deps.pools.use(cenv.id, (db) => {
      const count = revokeAllSessions(db, userId!);
      audit(db, { action: 'sessions_revoked', userId, username, rowCount: count, ip });
      return count;
    });
    publishChange(request, 'sessions');
    return { revoked };
  });
}
