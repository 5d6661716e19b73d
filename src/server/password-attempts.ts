/**
 * The throttle on password guesses, shared by login and "change my password": both check a
 * password against a hash, so both count against the same allowance per address and cenv
 * (WCE_LOGIN_MAX_FAILURES in WCE_LOGIN_WINDOW_MS). Otherwise a stolen session could guess its
 * owner's password on the change route at full speed.
 *
 * An attempt is counted *before* the hash and given back when the password was right, so
 * forty parallel guesses are forty attempts, not forty free ones while the first is hashed.
 *
 * @example
 *   const attempt = await takePasswordAttempt(request, reply);   // 429 past the limit
 *   if (await verify(...)) await attempt.refund();
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError, withDetails } from '../errors.ts';
import { addressKey } from '../tools/ip-key.ts';

export interface PasswordAttempt {
  /** The password was right: the attempt does not count. */
  refund(): Promise<void>;
}

export async function takePasswordAttempt(request: FastifyRequest, reply: FastifyReply): Promise<PasswordAttempt> {
  const { deps } = request.server;
  const key = `${request.caller.cenv.id} ${addressKey(request.caller.ip)}`;
  const verdict = await deps.loginThrottle.take(key);
  if (!verdict.ok) {
    deps.metrics.rateLimited('login');
    reply.header('retry-after', String(verdict.resetSeconds));
    throw withDetails(
      new RateLimitedError(`too many failed password attempts from this address; try again in ${verdict.resetSeconds} s (WCE_LOGIN_MAX_FAILURES)`),
      { limit: 'WCE_LOGIN_MAX_FAILURES', max: verdict.limit, retry_after: verdict.resetSeconds },
    );
  }
  return { refund: () => deps.loginThrottle.refund(key) };
}
