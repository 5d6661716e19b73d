/**
 * `POST /new`: creates a cenv and its owner in one request.
 * Body `{"username", "password", "name"?}` → 201 `{"cenv_id", "cenv_url", "name"?}`.
 *
 * Each address may create WCE_NEW_CENVS_PER_HOUR cenvs an hour (429 with Retry-After past
 * that), counted before the password is hashed; the hash waits its turn with everyone
 * else's (src/auth/passwords.ts), so a flood of creations cannot hold up other cenvs' logins.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { nameProblem } from '../../cenv/ids.ts';
import { createCenv } from '../../cenv/create.ts';
import { NameTakenError } from '../../cenv/registry.ts';
import { passwordProblem } from '../../auth/passwords.ts';
import { insertUser, usernameProblem } from '../../auth/users.ts';
import { ConflictError, ForbiddenError, RateLimitedError, ValidationError } from '../../errors.ts';
import { baseUrl } from '../url.ts';

const Body = Type.Object({
  username: Type.String({ maxLength: 256 }),
  password: Type.String({ maxLength: 4096 }),
  name: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

export async function createCenvRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Static<typeof Body> }>('/new', { schema: { body: Body } }, async (request, reply) => {
    if (!app.deps.config.allowNewCenvs) {
      throw new ForbiddenError('creating cenvs is disabled on this server (ALLOW_NEW_CENVS=false)');
    }
    const { username, password } = request.body;
    const name = request.body.name ?? null;
    const problem = usernameProblem(username) ?? passwordProblem(password) ?? (name === null ? null : nameProblem(name));
    if (problem) throw new ValidationError(problem);
    const wait = app.deps.newCenvLimiter.take(request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new RateLimitedError(`this address has created its ${app.deps.newCenvLimiter.max} cenvs for this hour; try again in ${wait} s`);
    }
    // Hash before anything touches disk: the slow step cannot leave a half-made cenv behind.
    const ownerPasswordHash = await app.deps.hasher.hash(password, { group: 'new', member: request.ip });
    try {
      const { cenv } = await createCenv(app.deps.registry, app.deps.config.dataDir, name, (db) => insertUser(db, username, ownerPasswordHash, 'owner'));
      request.log.info({ cenvId: cenv.id }, 'cenv created');
      return reply.status(201).send({
        cenv_id: cenv.id,
        cenv_url: `${baseUrl(request)}/${cenv.name ?? cenv.id}/`,
        ...(cenv.name ? { name: cenv.name } : {}),
      });
    } catch (error) {
      if (error instanceof NameTakenError) throw new ConflictError(error.message);
      throw error;
    }
  });
}
