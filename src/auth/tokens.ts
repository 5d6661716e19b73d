/**
 * Session tokens: JWT, HS256, signed with one server key. A token names its cenv, user and
 * session; the session row decides whether it is still good (revocation is immediate).
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { randomBytes, webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { StoredRole } from './users.ts';

export interface TokenClaims {
  cenvId: string;
  userId: string;
  username: string;
  role: StoredRole;
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
}

/** Why a token was refused; the message is safe to show and never contains the token. */
export class TokenError extends Error {
  override name = 'TokenError';
}

/**
 * Returns the key in `file`, creating it (32 random bytes, mode 0600) when it does not
 * exist. Used when WCE_JWT_SECRET is not set.
 */
export function loadOrCreateKey(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return new Uint8Array(key);
  } catch (error) {
    // Another process created it first: use theirs so both sign with one key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return new Uint8Array(readFileSync(file));
    throw error;
  }
}

/** How many verified tokens are remembered (see `verify`). */
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenService {
  /** The signing key; also keys the CSRF HMAC (see csrf.ts). */
  readonly key: Uint8Array;
  /**
   * The key imported into WebCrypto once: jose would otherwise import the raw bytes again
   * on every call, which was the largest single cost of an authenticated request.
   */
  private readonly cryptoKey: Promise<webcrypto.CryptoKey>;
  /**
   * Tokens whose signature was already checked, with their claims. A signature over an exact
   * string stays valid, so a repeat visit needs only the expiry check here; the session row
   * is still checked on every request, so revocation is not delayed by this cache.
   */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(key: Uint8Array) {
    if (key.length < 32) throw new Error('the token key must be at least 32 bytes');
    this.key = key;
    this.cryptoKey = webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  /** @example const token = await tokens.sign({ cenvId, userId, ..., expiresAt }) */
  async sign(claims: Omit<TokenClaims, 'issuedAt'>): Promise<string> {
    return new SignJWT({
      cenv_id: claims.cenvId, user_id: claims.userId, username: claims.username,
      role: claims.role, sid: claims.sessionId,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(claims.expiresAt / 1000))
      .sign(await this.cryptoKey);
  }

  /**
   * The claims of a token already verified and not expired, without waiting; undefined means
   * `verify` must decide (first sight, expired, or not valid at all).
   */
  peek(token: string): TokenClaims | undefined {
    const known = this.verified.get(token);
    return known && known.expiresAt > Date.now() ? known : undefined;
  }

  /** Checks signature, algorithm and expiry; throws TokenError with a reason. */
  async verify(token: string): Promise<TokenClaims> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > Date.now()) return known;
      this.verified.delete(token);
      throw new TokenError('token has expired; log in again');
    }
    const claims = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // Map keeps insertion order: drop the oldest entry.
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, claims);
    return claims;
  }

  private async verifySignature(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, await this.cryptoKey, { algorithms: ['HS256'] });
      const { cenv_id, user_id, username, role, sid, iat, exp } = payload as Record<string, unknown>;
      if (typeof cenv_id !== 'string' || typeof user_id !== 'string' || typeof username !== 'string' ||
          typeof role !== 'string' || typeof sid !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') {
        throw new TokenError('token is missing required claims');
      }
      return {
        cenvId: cenv_id, userId: user_id, username, role: role as StoredRole, sessionId: sid,
        issuedAt: iat * 1000, expiresAt: exp * 1000,
      };
    } catch (error) {
      if (error instanceof TokenError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new TokenError('token has expired; log in again');
      throw new TokenError('token is not valid');
    }
  }
}
