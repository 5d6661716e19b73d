/**
 * `POST /{cenv}/login` and `POST /{cenv}/logout`.
 *
 * Login answers a wrong username and a wrong password with the same 401 after the same
 * bcrypt work (an unknown user is checked against a dummy hash), so neither the message nor
 * the timing says which usernames exist. Every failure is written to the audit log.
 *
 * The throttle counts an attempt *before* the hash and gives it back on success, so forty
 * parallel guesses are forty attempts, not forty free ones while the first is hashed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { findUserByName, recordLogin, MAX_USERNAME_LENGTH } from '../../auth/users.ts';
import { createSession, deleteExpiredSessions, revokeSession } from '../../auth/sessions.ts';
import { SESSION_COOKIE } from '../../auth/authenticate.ts';
import { CSRF_COOKIE, csrfToken } from '../../auth/csrf.ts';
import { MAX_PASSWORD_BYTES } from '../../auth/passwords.ts';
import { audit } from '../../db/audit.ts';
import { RateLimitedError, UnauthorizedError, withDetails } from '../../errors.ts';
import { addressKey } from '../../tools/ip-key.ts';
import { transaction } from '../../tools/transaction.ts';
import { hashFor, publishChange } from '../caller.ts';

const Body = Type.Object({
  username: Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH * 2 }),
  password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES }),
}, { additionalProperties: false });

const FAILED = 'invalid username or password';

/**
 * Cookies are scoped to the cenv: one set under `/{id}` and, for a named cenv, one under
 * `/{name}`, so a login through either address authenticates both.
 */
function cookiePaths(request: FastifyRequest): string[] {
  const { id, name } = request.caller.cenv;
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
  app.post<{ Body: Static<typeof Body> }>('/login', { schema: { body: Body }, config: { access: 'none', cors: true } }, async (request, reply) => {
    const { username, password } = request.body;
    const { cenv, ip, userAgent, settings } = request.caller;
    const throttleKey = `${cenv.id} ${addressKey(ip)}`;
    const verdict = await app.deps.loginThrottle.take(throttleKey);
    if (!verdict.ok) {
      app.deps.metrics.rateLimited('login');
      reply.header('retry-after', String(verdict.resetSeconds));
      throw withDetails(
        new RateLimitedError(`too many failed logins from this address; try again in ${verdict.resetSeconds} s (WCE_LOGIN_MAX_FAILURES)`),
        { limit: 'WCE_LOGIN_MAX_FAILURES', max: verdict.limit, retry_after: verdict.resetSeconds },
      );
    }
    const user = await app.deps.pools.use(cenv.id, (db) => findUserByName(db, username));
    const passwordOk = user
      ? await app.deps.hasher.verify(password, user.passwordHash, hashFor(request))
      : await app.deps.hasher.verifyNobody(password, hashFor(request));
    if (!user || !passwordOk || !user.enabled) {
      app.deps.metrics.loginFailed();
      const reason = !user ? 'unknown user' : !passwordOk ? 'wrong password' : 'user disabled';
      await app.deps.pools.use(cenv.id, (db) => audit(db, {
        action: 'login_failed', userId: user?.id ?? null, username, detail: { reason }, ip, userAgent,
      }));
      throw new UnauthorizedError(FAILED);
    }
    await app.deps.loginThrottle.refund(throttleKey);
    const rules = { timeoutMs: settings.session_timeout_hours * 3600_000, maxPerUser: settings.max_sessions_per_user };
    const session = await app.deps.pools.use(cenv.id, (db) => transaction(db, () => {
      // Each login also clears this cenv's dead sessions, so a busy cenv never waits for the sweeper.
      deleteExpiredSessions(db);
      const created = createSession(db, user.id, { ip, userAgent }, rules);
      recordLogin(db, user.id);
      audit(db, {
        action: 'login', userId: user.id, username: user.username, ip, userAgent,
        ...(created.revokedOldest > 0 ? { detail: { oldest_sessions_revoked: created.revokedOldest } } : {}),
      });
      return created;
    }));
    publishChange(request, 'sessions', [], { principal: { userId: user.id, username: user.username, role: user.role, sessionId: session.id } });
    const expiresAt = Date.parse(session.expiresAt);
    const token = await app.deps.tokens.sign({
      cenvId: cenv.id, userId: user.id, username: user.username, role: user.role, sessionId: session.id, expiresAt,
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

  app.post('/logout', { config: { access: 'user', cors: true } }, async (request, reply) => {
    const { principal: { userId, sessionId, username }, ip, userAgent, cenv } = request.caller;
    await app.deps.pools.use(cenv.id, (db) => {
      revokeSession(db, userId!, sessionId!);
      audit(db, { action: 'logout', userId, username, ip, userAgent });
    });
    publishChange(request, 'sessions');
    for (const path of cookiePaths(request)) {
      reply.clearCookie(SESSION_COOKIE, { path });
      reply.clearCookie(CSRF_COOKIE, { path });
    }
    return { ok: true };
  });
}
