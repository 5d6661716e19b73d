/**
 * The caller's own account: IDE preferences (`GET`/`PUT /{cenv}/me/prefs`, any of the keys in
 * src/auth/prefs.ts; the reply is the whole set after the change) and their password
 * (`POST /{cenv}/me/password` with the current one; their other sessions end).
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { prefsProblem, readPrefs, writePrefs, type Prefs } from '../../auth/prefs.ts';
import { MAX_PASSWORD_BYTES, passwordProblem } from '../../auth/passwords.ts';
import { findUserById } from '../../auth/users.ts';
import { changeOwnPassword } from '../../access/user-admin.ts';
import { audit } from '../../db/audit.ts';
import { ValidationError, withDetails } from '../../errors.ts';
import { actorOf, hashFor, publishChange } from '../caller.ts';
import { takePasswordAttempt } from '../password-attempts.ts';
import { PasswordChanged, Prefs as PrefsReply } from '../openapi/schemas.ts';

// The keys and their values are checked by prefsProblem, the one list of preferences.
const Changes = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { minProperties: 1, maxProperties: 16 });
const PasswordChange = Type.Object({
  current_password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES }),
  new_password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES }),
}, { additionalProperties: false });

export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.get('/me/prefs', { schema: { summary: 'Your IDE preferences', response: { 200: PrefsReply } }, config: { access: 'user' } }, async (request) => {
    const { cenv, principal } = request.caller;
    return { prefs: await app.deps.pools.use(cenv.id, (db) => readPrefs(db, principal.userId!)) };
  });

  app.put<{ Body: Static<typeof Changes> }>('/me/prefs', {
    schema: { summary: 'Change some of your IDE preferences', body: Changes, response: { 200: PrefsReply } }, config: { access: 'user' },
  }, async (request) => {
    const problem = prefsProblem(request.body);
    if (problem) throw new ValidationError(problem);
    const { cenv, principal } = request.caller;
    return { prefs: await app.deps.pools.use(cenv.id, (db) => writePrefs(db, principal.userId!, request.body as Partial<Prefs>)) };
  });

  app.post<{ Body: Static<typeof PasswordChange> }>('/me/password', {
    schema: {
      summary: 'Change your password (with the current one); your other sessions end', body: PasswordChange,
      response: { 200: PasswordChanged }, errors: ['WCE_ERR_RATE_LIMITED'],
    },
    config: { access: 'user', cors: true },
  }, async (request, reply) => {
    const { current_password: current, new_password: next } = request.body;
    const problem = passwordProblem(next);
    if (problem) throw withDetails(new ValidationError(`new_password: ${problem}`), { field: 'new_password' });
    if (next === current) throw withDetails(new ValidationError('new_password is the same as the current one'), { field: 'new_password' });
    const { cenv, principal, ip, userAgent } = request.caller;
    const attempt = await takePasswordAttempt(request, reply);
    const me = await app.deps.pools.use(cenv.id, (db) => findUserById(db, principal.userId!));
    if (!me || !(await app.deps.hasher.verify(current, me.passwordHash, hashFor(request)))) {
      await app.deps.pools.use(cenv.id, (db) => audit(db, {
        action: 'password_change_failed', userId: principal.userId, username: principal.username, detail: { reason: 'wrong current password' }, ip, userAgent,
      }));
      // A 400, not a 401: the session is fine (a 401 would send the IDE to its login page).
      throw withDetails(new ValidationError('current_password is not your current password'), { field: 'current_password' });
    }
    await attempt.refund();
    const passwordHash = await app.deps.hasher.hash(next, hashFor(request));
    const revoked = await app.deps.pools.use(cenv.id, (db) => changeOwnPassword(db, principal, passwordHash, actorOf(request)));
    publishChange(request, 'sessions');
    return { changed: true, other_sessions_ended: revoked };
  });
}
