/**
 * `POST /new`: creates a cenv and its owner in one request.
 * Body `{"username", "password", "name"?}` → 201 `{"cenv_id", "cenv_url", "name"?}`.
 *
 * With an exported cenv file instead (raw `application/vnd.sqlite3` with the owner's
 * password in `x-wce-password` and `?name=`, or multipart with fields `password`, `name`
 * and the file), it creates a copy (a clone): a new id, no sessions, the file's users, data
 * and settings. The caller must prove the file's owner password, and becomes that owner
 * (src/server/cenv-files.ts says why). Files are at most the server's `max_import_bytes`.
 *
 * Each address may create WCE_NEW_CENVS_PER_HOUR cenvs an hour (429 with Retry-After past
 * that), counted before the password is hashed or the file received; the hash waits its turn
 * with everyone else's (src/auth/passwords.ts), so a flood of creations cannot hold up other
 * cenvs' logins.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { nameProblem } from '../../cenv/ids.ts';
import { adoptCenvFile, createCenv } from '../../cenv/create.ts';
import { NameTakenError, type CenvRecord } from '../../cenv/registry.ts';
import { resolveSettings } from '../../cenv/settings.ts';
import { passwordProblem } from '../../auth/passwords.ts';
import { insertUser, usernameProblem } from '../../auth/users.ts';
import { audit } from '../../db/audit.ts';
import { ConflictError, ForbiddenError, RateLimitedError, ValidationError, withDetails } from '../../errors.ts';
import { baseUrl } from '../url.ts';
import { givenPassword, inspectUpload, proveFileOwner } from '../cenv-files.ts';
import { acceptUploads, receiveUpload } from '../upload.ts';

const Body = Type.Object({
  username: Type.String({ maxLength: 256 }),
  password: Type.String({ maxLength: 4096 }),
  name: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });
const Query = Type.Object({ name: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });

/** Counts a creation against the address's hourly allowance, or answers 429. */
async function takeCreationSlot(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const verdict = await app.deps.newCenvLimiter.take(request.ip);
  if (verdict.ok) return;
  app.deps.metrics.rateLimited('new_cenv');
  reply.header('retry-after', String(verdict.resetSeconds));
  throw withDetails(
    new RateLimitedError(`this address has created its ${verdict.limit} cenvs for this hour; try again in ${verdict.resetSeconds} s (WCE_NEW_CENVS_PER_HOUR)`),
    { limit: 'WCE_NEW_CENVS_PER_HOUR', max: verdict.limit, retry_after: verdict.resetSeconds },
  );
}

function created(request: FastifyRequest, reply: FastifyReply, cenv: CenvRecord, extra: Record<string, unknown> = {}) {
  return reply.status(201).send({
    cenv_id: cenv.id,
    cenv_url: `${baseUrl(request)}/${cenv.name ?? cenv.id}/`,
    ...(cenv.name ? { name: cenv.name } : {}),
    ...extra,
  });
}

function checkName(name: string | null): void {
  const problem = name === null ? null : nameProblem(name);
  if (problem) throw new ValidationError(problem);
}

/** POST /new with a file: a clone. */
async function cloneFromFile(app: FastifyInstance, request: FastifyRequest<{ Querystring: Static<typeof Query> }>, reply: FastifyReply) {
  await takeCreationSlot(app, request, reply);
  const server = resolveSettings([], app.deps.config.settings);
  const upload = await receiveUpload(request, { dataDir: app.deps.config.dataDir, maxBytes: server.max_import_bytes, limitName: 'WCE_MAX_IMPORT_BYTES' });
  try {
    const name = upload.fields.name ?? request.query.name ?? null;
    checkName(name);
    const id = randomUUID();
    const info = await inspectUpload(app, request, id, upload.file, server);
    await proveFileOwner(app, info, givenPassword(request, upload), { group: 'new', member: request.ip }, null);
    const cenv = await adoptCenvFile(app.deps.registry, app.deps.config.dataDir, id, name, upload.file);
    await app.deps.pools.use(cenv.id, (db) => audit(db, {
      action: 'cenv_cloned', userId: info.owner.id, username: info.owner.username, ip: request.ip,
      detail: { bytes: info.bytes, schema_from: info.fromVersion, users: info.users, tables: info.tables },
    }));
    request.log.info({ cenvId: cenv.id }, 'cenv cloned from a file');
    return created(request, reply, cenv, { owner: { id: info.owner.id, username: info.owner.username }, cloned: true });
  } catch (error) {
    if (error instanceof NameTakenError) throw new ConflictError(error.message);
    throw error;
  } finally {
    upload.discard();
  }
}

export async function createCenvRoutes(app: FastifyInstance): Promise<void> {
  // JSON too: the usual form of POST /new (held to the server's body limit, this route sets none).
  await acceptUploads(app, { json: true });
  app.post<{ Body: Static<typeof Body>; Querystring: Static<typeof Query> }>('/new', { schema: { querystring: Query } }, async (request, reply) => {
    if (!app.deps.config.allowNewCenvs) {
      throw new ForbiddenError('creating cenvs is disabled on this server (ALLOW_NEW_CENVS=false)');
    }
    if (request.isMultipart() || typeof (request.body as { pipe?: unknown } | undefined)?.pipe === 'function') {
      return cloneFromFile(app, request, reply);
    }
    // The body schema is checked here, not by the route: a file body is a stream, not JSON.
    const body = request.body;
    const validate = request.compileValidationSchema(Body, 'body');
    if (!validate(body)) {
      const first = validate.errors?.[0];
      throw new ValidationError(`invalid request: body${first?.instancePath ?? ''} ${first?.message ?? 'must be a JSON object'}`);
    }
    const { username, password } = body;
    const name = body.name ?? null;
    const problem = usernameProblem(username) ?? passwordProblem(password);
    if (problem) throw new ValidationError(problem);
    checkName(name);
    await takeCreationSlot(app, request, reply);
    // Hash before anything touches disk: the slow step cannot leave a half-made cenv behind.
    const ownerPasswordHash = await app.deps.hasher.hash(password, { group: 'new', member: request.ip });
    try {
      const { cenv } = await createCenv(app.deps.registry, app.deps.config.dataDir, name, (db) => insertUser(db, username, ownerPasswordHash, 'owner'));
      request.log.info({ cenvId: cenv.id }, 'cenv created');
      return created(request, reply, cenv);
    } catch (error) {
      if (error instanceof NameTakenError) throw new ConflictError(error.message);
      throw error;
    }
  });
}
