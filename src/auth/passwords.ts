/**
 * Password hashing with bcrypt (cost 12 by default), run off the event loop by
 * @node-rs/bcrypt's thread pool.
 *
 * bcrypt reads only the first 72 bytes of its input, so a long password would be silently
 * truncated. We pre-hash every password: bcrypt(base64(SHA-256(password))). The 44-character
 * base64 text is below the 72-byte limit and has no NUL bytes, so all 1..1024 bytes of a
 * password count. Hashes carry the `$2b$` prefix of plain bcrypt; the pre-hash is WCE's
 * convention and is applied identically on hash and verify.
 *
 * At most one hash per core runs at once. bcrypt shares libuv's thread pool with file I/O and
 * WebCrypto (token signatures); without a cap, a handful of concurrent logins would occupy
 * every pool thread and stall every signed-in user's request behind them. Waiting hashes are
 * served in rotation across cenvs (or cenv creation) and, within one, across client
 * addresses, so a flood from one address delays another cenv's login by at most one hash
 * per core. A burst beyond MAX_WAITING (or MAX_PER_CLIENT from one address) is refused with
 * 503 rather than queued without bound.
 */
import { hash, verify } from '@node-rs/bcrypt';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { FairSemaphore, QueueFullError, type FairKey } from '../tools/fair-semaphore.ts';
import { UnavailableError } from '../errors.ts';

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

const MAX_WAITING = 256;
const MAX_PER_CLIENT = 32;

/** Whose hash it is, for fair queueing: the cenv (or `new`) and the client address. */
export type HashFor = FairKey;
const NOBODY: HashFor = { group: '-', member: '-' };

export class PasswordHasher {
  readonly cost: number;
  private dummy: Promise<string> | null = null;
  private readonly slots = new FairSemaphore(Math.max(1, availableParallelism()), { maxQueue: MAX_WAITING, maxPerMember: MAX_PER_CLIENT });

  constructor(cost: number) {
    this.cost = cost;
  }

  /** @example const stored = await hasher.hash('correct horse battery', { group: 'new', member: ip }) */
  hash(password: string, who: HashFor = NOBODY): Promise<string> {
    return this.limited(who, () => hash(prehash(password), { cost: this.cost }));
  }

  /** True when `password` matches `stored`. */
  verify(password: string, stored: string, who: HashFor = NOBODY): Promise<boolean> {
    return this.limited(who, () => verify(prehash(password), stored));
  }

  /**
   * Spends the same bcrypt work as a real check, for a user that does not exist, so the
   * answer time does not tell an attacker which usernames are real. Always false.
   */
  async verifyNobody(password: string, who: HashFor = NOBODY): Promise<false> {
    this.dummy ??= hash(prehash('wce-dummy-password'), { cost: this.cost });
    const dummy = await this.dummy;
    await this.limited(who, () => verify(prehash(password), dummy));
    return false;
  }

  private async limited<T>(who: HashFor, task: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.run(who, task);
    } catch (error) {
      if (error instanceof QueueFullError) throw new UnavailableError('too many password checks are waiting; retry in a few seconds');
      throw error;
    }
  }
}
