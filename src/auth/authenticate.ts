/**
 * Turning a request's credentials into a Principal. Credentials come from
 * `Authorization: Bearer <token>` or the `wce_session` cookie. A request with none is
 * anonymous; a request with bad ones is refused (never silently downgraded), so a client
 * learns at once that its session is gone.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { TokenService } from './tokens.ts';
import { TokenError, type TokenClaims } from './tokens.ts';
import { checkSession, type LiveSession } from './sessions.ts';
import type { SessionCache } from './session-cache.ts';
import { ANONYMOUS, type Principal } from './principal.ts';
import { UnauthorizedError } from '../errors.ts';

export const SESSION_COOKIE = 'wce_session';

export interface Credentials { token: string; viaCookie: boolean }

/** Finds the token in the headers; bearer wins over the cookie. */
export function readCredentials(authorization: string | undefined, cookie: string | undefined): Credentials | null {
  if (authorization !== undefined) {
    const match = /^Bearer[ ]+([A-Za-z0-9_\-.]+)\s*$/i.exec(authorization);
    if (!match) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
    return { token: match[1], viaCookie: false };
  }
  return cookie ? { token: cookie, viaCookie: true } : null;
}

/**
 * Verifies a token for the cenv `cenvId` and returns its principal. `withDb` runs a function
 * with a connection to that cenv; `sessions` remembers recent checks (see session-cache.ts).
 */
export async function authenticate(
  tokens: TokenService,
  cenvId: string,
  credentials: Credentials | null,
  withDb: <T>(fn: (db: DatabaseSync) => T) => Promise<T>,
  sessions?: SessionCache,
): Promise<Principal> {
  if (!credentials) return ANONYMOUS;
  let claims;
  try {
    claims = await tokens.verify(credentials.token);
  } catch (error) {
    if (error instanceof TokenError) throw new UnauthorizedError(error.message);
    throw error;
  }
  belongsTo(claims, cenvId);
  let live: LiveSession | null | undefined = sessions?.get(cenvId, claims.sessionId, claims.userId);
  if (live === undefined) {
    const checked = await withDb((db) => checkSession(db, claims.sessionId, claims.userId));
    live = sessions ? sessions.set(cenvId, checked) : checked;
  }
  return principalOf(claims, live);
}

/**
 * `authenticate` when the answer is already in memory (the token verified before, its session
 * checked recently): no promise, no database. Undefined means: call `authenticate`.
 * @example const principal = authenticateCached(tokens, cenvId, credentials, sessions) ?? await authenticate(…)
 */
export function authenticateCached(tokens: TokenService, cenvId: string, credentials: Credentials | null, sessions: SessionCache): Principal | undefined {
  if (!credentials) return ANONYMOUS;
  const claims = tokens.peek(credentials.token);
  if (!claims) return undefined;
  belongsTo(claims, cenvId);
  const live = sessions.get(cenvId, claims.sessionId, claims.userId);
  return live === undefined ? undefined : principalOf(claims, live);
}

/** A token of cenv A must be useless on cenv B even though one key signs both. */
function belongsTo(claims: TokenClaims, cenvId: string): void {
  if (claims.cenvId !== cenvId) throw new UnauthorizedError('token belongs to another cenv');
}

function principalOf(claims: TokenClaims, live: LiveSession | null): Principal {
  if (!live) throw new UnauthorizedError('session has ended (logged out, revoked or expired); log in again');
  return { userId: claims.userId, username: live.username, role: live.role, sessionId: claims.sessionId };
}
