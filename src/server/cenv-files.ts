/**
 * What importing a cenv file and cloning one (`POST /new` with a file) share: the check of
 * the upload in a sandbox child, and the rule that whoever brings a file must be its owner.
 *
 * The owner rule: the file's owner is either the caller (the same user id: a restore of
 * one's own cenv) or the caller proves it by giving that owner's password (multipart field
 * `password`, or the `x-wce-password` header with a raw body). So an import cannot lock the
 * importer out of their own cenv by accident, and a copy of someone's export is not enough
 * to start a live clone of their app, with their users' password hashes, under your control.
 *
 * @example
 *   const info = await inspectUpload(app, request, cenvId, upload.file, settings);
 *   await proveFileOwner(app, request, info, givenPassword(request, upload), callerId);
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Settings } from '../cenv/settings.ts';
import { ANONYMOUS } from '../auth/principal.ts';
import { UnauthorizedError, ValidationError } from '../errors.ts';
import type { InspectInfo } from '../sandbox/protocol.ts';
import { sandboxJob } from '../sandbox/job.ts';
import type { Upload } from './upload.ts';

/** Header that carries the file owner's password with a raw body. */
export const PASSWORD_HEADER = 'x-wce-password';
/** bcrypt costs above this in a file are refused: one check could otherwise hold a hashing thread for minutes. */
const MAX_FILE_COST = 16;

/**
 * Checks and prepares `file` in a sandbox child, queued as work of `cenvId` under its limits.
 * Throws the check's 400 naming what is wrong.
 */
export async function inspectUpload(app: FastifyInstance, request: FastifyRequest, cenvId: string, file: string, settings: Settings): Promise<InspectInfo> {
  const started = performance.now();
  let ok = false;
  try {
    const reply = await app.deps.sandbox.run(sandboxJob('inspect', cenvId, ANONYMOUS, { file }, settings, {
      context: { ip: request.ip, userAgent: null, requestId: request.id },
    }));
    ok = true;
    return reply.inspect;
  } finally {
    app.deps.metrics.op('inspect', (performance.now() - started) / 1000, ok);
  }
}

/** The owner's password the request gives, if any. */
export function givenPassword(request: FastifyRequest, upload: Upload): string | undefined {
  const header = request.headers[PASSWORD_HEADER];
  return upload.fields.password ?? (typeof header === 'string' ? header : undefined);
}

/**
 * Passes when the file's owner is `callerId`, or `password` is that owner's password;
 * otherwise 400 (none given) or 401 (wrong).
 */
export async function proveFileOwner(app: FastifyInstance, info: InspectInfo, password: string | undefined, hashFor: { group: string; member: string }, callerId: string | null): Promise<void> {
  if (callerId !== null && info.owner.id === callerId) return;
  if (password === undefined || password === '') {
    throw new ValidationError(`the file's owner is "${info.owner.username}"; give that user's password (multipart field ` +
      `"password" or the ${PASSWORD_HEADER} header) to use it`);
  }
  const cost = Number(info.owner.passwordHash.slice(4, 6));
  if (!(cost >= 4 && cost <= MAX_FILE_COST)) throw new ValidationError(`the file's password hashes use bcrypt cost ${cost}; at most ${MAX_FILE_COST} is accepted`);
  if (!(await app.deps.hasher.verify(password, info.owner.passwordHash, hashFor))) {
    throw new UnauthorizedError(`the password of the file's owner "${info.owner.username}" is wrong`);
  }
}
