/**
 * `POST /new`: creates a cenv and its owner in one request.
 * Body `{"username", "password", "name"?}` → 201 `{"cenv_id", "cenv_url", "name"?}`.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { nameProblem } from '../../cenv/ids.ts';
import { createCenv } from '../../cenv/create.ts';
import { NameTakenError } from '../../cenv/registry.ts';
import { passwordProblem } from '../../auth/passwords.ts';
import { usernameProblem } from '../../auth/users.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../errors.ts';
import { baseUrl } from '../url.ts';

const Body = Type.Object({
  username: Type.String(),
  password: Type.String(),
  name: Type.Optional(Type.String()),
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
    // Hash before anything touches disk: the slow step cannot leave a half-made cenv behind.
    const ownerPasswordHash = await app.deps.hasher.hash(password);
    try {
      const { cenv } = createCenv(app.deps.registry, app.deps.config.dataDir, { name, ownerUsername: username, ownerPasswordHash });
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
