/**
 * `GET/POST /{cenv}/admin/users`, `PUT /{cenv}/admin/users/{id}` (owner/admin only).
 * Rules live in src/auth/user-admin.ts; this file validates and shapes.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { createUser, listUsers, updateUser, type UserChange } from '../../auth/user-admin.ts';
import { passwordProblem } from '../../auth/passwords.ts';
import { STORED_ROLES, type User } from '../../auth/users.ts';
import { ValidationError } from '../../errors.ts';
import { actorOf, requireAdministrator } from './admin-guard.ts';

const Role = Type.Union(STORED_ROLES.map((role) => Type.Literal(role)));
const NewUser = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 256 }),
  password: Type.String({ minLength: 1, maxLength: 4096 }),
  role: Role,
}, { additionalProperties: false });
const UserPatch = Type.Object({
  role: Type.Optional(Role),
  enabled: Type.Optional(Type.Boolean()),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
}, { additionalProperties: false, minProperties: 1 });
const Params = Type.Object({ cenv: Type.String(), id: Type.String({ maxLength: 64 }) });

function userJson(user: User): Record<string, unknown> {
  return { id: user.id, username: user.username, role: user.role, enabled: user.enabled, created_at: user.createdAt, last_login: user.lastLogin };
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(problem);
}

export async function adminUserRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/users', async (request) => {
    requireAdministrator(request);
    const users = await app.deps.pools.use(request.cenv.id, (db) => listUsers(db));
    return { users: users.map(userJson) };
  });

  app.post<{ Body: Static<typeof NewUser> }>('/admin/users', { schema: { body: NewUser } }, async (request, reply) => {
    requireAdministrator(request);
    checkPassword(request.body.password);
    const passwordHash = await app.deps.hasher.hash(request.body.password);
    const { username, role } = request.body;
    const actor = actorOf(request);
    const user = await app.deps.pools.use(request.cenv.id, (db) => createUser(db, request.principal, { username, passwordHash, role }, actor));
    return reply.code(201).send(userJson(user));
  });

  app.put<{ Params: Static<typeof Params>; Body: Static<typeof UserPatch> }>('/admin/users/:id', { schema: { params: Params, body: UserPatch } }, async (request) => {
    requireAdministrator(request);
    const change: UserChange = { role: request.body.role, enabled: request.body.enabled };
    if (request.body.password !== undefined) {
      checkPassword(request.body.password);
      change.passwordHash = await app.deps.hasher.hash(request.body.password);
    }
    const actor = actorOf(request);
    const user = await app.deps.pools.use(request.cenv.id, (db) => updateUser(db, request.principal, request.params.id, change, actor));
    return userJson(user);
  });
}
