/**
 * Password hashing with bcrypt (cost 12 by default), run off the event loop by
 * @node-rs/bcrypt's thread pool.
 *
 * bcrypt reads only the first 72 bytes of its input, so a long password would be silently
 * truncated. We pre-hash every password: bcrypt(base64(SHA-256(password))). The 44-character
 * base64 text is below the 72-byte limit and has no NUL bytes, so all 1..1024 bytes of a
 * password count. Hashes carry the `$2b$` prefix of plain bcrypt; the pre-hash is WCE's
 * convention and is applied identically on hash and verify.
 */
import { hash, verify } from '@node-rs/bcrypt';
import { createHash } from 'node:crypto';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_BYTES = 1024;

function prehash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}

/** Why a password is unacceptable, or null. */
export function passwordProblem(password: string): string | null {
  // A lone surrogate would be hashed as U+FFFD, so two different inputs would match.
  if (!password.isWellFormed()) return 'password must be valid Unicode text';
  if ([...password].length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return `password must be at most ${MAX_PASSWORD_BYTES} bytes`;
  return null;
}

export class PasswordHasher {
  readonly cost: number;
  private dummy: Promise<string> | null = null;

  constructor(cost: number) {
    this.cost = cost;
  }

  /** @example const stored = await hasher.hash('correct horse battery') */
  hash(password: string): Promise<string> {
    return hash(prehash(password), { cost: this.cost });
  }

  /** True when `password` matches `stored`. */
  verify(password: string, stored: string): Promise<boolean> {
    return verify(prehash(password), stored);
  }

  /**
   * Spends the same bcrypt work as a real check, for a user that does not exist, so the
   * answer time does not tell an attacker which usernames are real. Always false.
   */
  async verifyNobody(password: string): Promise<false> {
    this.dummy ??= hash(prehash("wce-dummy-password"), { cost: this.cost });
    await verify(prehash(password), await this.dummy);
    return false;
  }
}
