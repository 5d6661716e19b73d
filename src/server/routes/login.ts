/**
 * `POST /{cenv}/login` and `POST /{cenv}/logout`.
 *
 * Login answers a wrong username and a wrong password with the same 401 after the same
 * bcrypt work (an unknown user is checked against a dummy hash), so neither the message nor
 * the timing says which usernames exist. Every failure is written to the audit log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { findUserByName, recordLogin, MAX_USERNAME_LENGTH } from '../../auth/users.ts';
import { createSession, deleteExpiredSessions, revokeSession } from '../../auth/sessions.ts';
import { SESSION_COOKIE } from '../../auth/authenticate.ts';
import { CSRF_COOKIE, csrfToken } from '../../auth/csrf.ts';
import { MAX_PASSWORD_BYTES } from '../../auth/passwords.ts';
import { audit } from '../../db/audit.ts';
import { RateLimitedError, UnauthorizedError } from '../../errors.ts';
import { requireUser } from '../cenv-scope.ts';

const Body = Type.Object({
  username: Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH * 2 }),
  password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES }),
}, { additionalProperties: false });

const FAILED = 'invalid username or password';

function client(request: FastifyRequest): { ip: string; userAgent: string | null } {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent : null };
}

/**
 * Cookies are scoped to the cenv: one set under `/{id}` and, for a named cenv, one under
 * `/{name}`, so a login through either address authenticates both.
 */
function cookiePaths(request: FastifyRequest): string[] {
  const { id, name } = request.cenv;
  return name ? [`/${id}`, `/${name}`] : [`/${id}`];
}

function setSessionCookies(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, token: string, csrf: string, expires: Date): void {
  const secure = app.deps.config.cookieSecure || request.protocol === 'https';
  for (const path of cookiePaths(request)) {
    const common = { path, sameSite: 'strict' as const, secure, expires };
    reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
    // Readable by the page's script so it can echo the value in the x-csrf-token header.
    reply.setCookie(CSRF_COOKIE, csrf, { ...common, httpOnly: false });
  }
}

export async function loginRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Static<typeof Body> }>('/login', { schema: { body: Body }, config: { auth: 'none' } }, async (request, reply) => {
    const { username, password } = request.body;
    const cenvId = request.cenv.id;
    const who = client(request);
    const wait = app.deps.loginThrottle.retryAfter(cenvId, who.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new RateLimitedError(`too many failed logins from this address; try again in ${wait} s`);
    }
    const user = await app.deps.pools.use(cenvId, (db) => findUserByName(db, username));
    const passwordOk = user
      ? await app.deps.hasher.verify(password, user.passwordHash)
      : await app.deps.hasher.verifyNobody(password);
    if (!user || !passwordOk || !user.enabled) {
      const reason = !user ? 'unknown user' : !passwordOk ? 'wrong password' : 'user disabled';
      app.deps.loginThrottle.fail(cenvId, who.ip);
      await app.deps.pools.use(cenvId, (db) => audit(db, {
        action: 'login_failed', userId: user?.id ?? null, username, detail: { reason }, ip: who.ip, userAgent: who.userAgent,
      }));
      throw new UnauthorizedError(FAILED);
    }
    const session = await app.deps.pools.use(cenvId, (db) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        // Each login also clears this cenv's dead sessions, so a busy cenv never waits for the sweeper.
        deleteExpiredSessions(db);
        const created = createSession(db, user.id, who);
        recordLogin(db, user.id);
        audit(db, { action: 'login', userId: user.id, username: user.username, ip: who.ip, userAgent: who.userAgent });
        db.exec('COMMIT');
        return created;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    });
    const expiresAt = Date.parse(session.expiresAt);
    const token = await app.deps.tokens.sign({
      cenvId, userId: user.id, username: user.username, role: user.role, sessionId: session.id, expiresAt,
    });
    const csrf = csrfToken(app.deps.tokens.key, session.id);
    setSessionCookies(app, request, reply, token, csrf, new Date(expiresAt));
    return {
      token,
      expires_at: session.expiresAt,
      csrf_token: csrf,
      user: { id: user.id, username: user.username, role: user.role },
    };
  });

  app.post('/logout', async (request, reply) => {
    requireUser(request);
    const { userId, sessionId, username } = request.principal;
    const who = client(request);
    await app.deps.pools.use(request.cenv.id, (db) => {
      revokeSession(db, userId!, sessionId!);
      audit(db, { action: 'logout', userId, username, ip: who.ip, userAgent: who.userAgent });
    });
    for (const path of cookiePaths(request)) {
      reply.clearCookie(SESSION_COOKIE, { path });
      reply.clearCookie(CSRF_COOKIE, { path });
    }
    return { ok: true };
  });
}
