/**
 * `GET/POST /{cenv}/admin/users`, `PUT /{cenv}/admin/users/{id}` (owner/admin) and
 * `POST /{cenv}/admin/transfer-ownership` (the owner, with their current password).
 * Rules live in src/access/user-admin.ts; this file validates and shapes.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { createUser, listUsers, transferOwnership, updateUser, type UserChange } from '../../access/user-admin.ts';
import { MAX_PASSWORD_BYTES, passwordProblem } from '../../auth/passwords.ts';
import { findUserById, type User } from '../../auth/users.ts';
import { activeSessionCounts } from '../../auth/sessions.ts';
import { UnauthorizedError, ValidationError } from '../../errors.ts';
import { actorOf, hashFor, publishChange } from '../caller.ts';

// `owner` is not assignable here: a cenv has one owner, moved by transfer-ownership.
const Role = Type.Union([Type.Literal('admin'), Type.Literal('user')]);
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
const Transfer = Type.Object({
  user_id: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES }),
}, { additionalProperties: false });

function userJson(user: User): Record<string, unknown> {
  return { id: user.id, username: user.username, role: user.role, enabled: user.enabled, created_at: user.createdAt, last_login: user.lastLogin };
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(problem);
}

export async function adminUserRoutes(app: FastifyInstance): Promise<void> {
  const admin = { access: 'admin' } as const;
  app.get('/admin/users', { config: admin }, async (request) => {
    const { users, sessions } = await app.deps.pools.use(request.caller.cenv.id, (db) => ({ users: listUsers(db), sessions: activeSessionCounts(db) }));
    return { users: users.map((user) => ({ ...userJson(user), active_sessions: sessions.get(user.id) ?? 0 })) };
  });

  app.post<{ Body: Static<typeof NewUser> }>('/admin/users', { schema: { body: NewUser }, config: admin }, async (request, reply) => {
    checkPassword(request.body.password);
    const passwordHash = await app.deps.hasher.hash(request.body.password, hashFor(request));
    const { username, role } = request.body;
    const user = await app.deps.pools.use(request.caller.cenv.id, (db) => createUser(db, request.caller.principal, { username, passwordHash, role }, actorOf(request)));
    publishChange(request, 'users');
    return reply.code(201).send(userJson(user));
  });

  app.put<{ Params: Static<typeof Params>; Body: Static<typeof UserPatch> }>('/admin/users/:id', { schema: { params: Params, body: UserPatch }, config: admin }, async (request) => {
    const change: UserChange = { role: request.body.role, enabled: request.body.enabled };
    if (request.body.password !== undefined) {
      checkPassword(request.body.password);
      change.passwordHash = await app.deps.hasher.hash(request.body.password, hashFor(request));
    }
    const user = await app.deps.pools.use(request.caller.cenv.id, (db) => updateUser(db, request.caller.principal, request.params.id, change, actorOf(request)));
    // A role or enabled change alters what that user may see (signed-in roles only, never anonymous).
    if (change.role !== undefined || change.enabled !== undefined) publishChange(request, 'access', [], { roles: ['user', 'admin', 'owner'] });
    else publishChange(request, 'users');
    return userJson(user);
  });

  app.post<{ Body: Static<typeof Transfer> }>('/admin/transfer-ownership', { schema: { body: Transfer }, config: { access: 'owner' } }, async (request) => {
    const { cenv, principal } = request.caller;
    const me = await app.deps.pools.use(cenv.id, (db) => findUserById(db, principal.userId!));
    if (!me || !(await app.deps.hasher.verify(request.body.password, me.passwordHash, hashFor(request)))) {
      throw new UnauthorizedError('your current password is needed to transfer ownership, and that one is wrong');
    }
    const owner = await app.deps.pools.use(cenv.id, (db) => transferOwnership(db, principal, request.body.user_id, actorOf(request)));
    publishChange(request, 'access', [], { roles: ['admin', 'owner'] });
    return { owner: userJson(owner), previous_owner: { id: principal.userId, role: 'admin' }, note: 'both of you were logged out; log in again' };
  });
}
