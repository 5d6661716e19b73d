/**
 * `GET/POST /{cenv}/admin/permissions`, `PUT/DELETE /{cenv}/admin/permissions/{id}` (owner/admin).
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { createPermission, deletePermission, listPermissions, updatePermission } from '../../access/permissions.ts';
import { OPERATIONS, POLICY_ROLES } from '../../access/model.ts';
import { actorOf, publishChange } from '../caller.ts';
import { NoContent, Permission, PermissionList } from '../openapi/schemas.ts';

const NewPermission = Type.Object({
  table: Type.String({ minLength: 1, maxLength: 128 }),
  role: Type.Optional(Type.Union(POLICY_ROLES.map((role) => Type.Literal(role)))),
  user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  operations: Type.Array(Type.Union(OPERATIONS.map((op) => Type.Literal(op))), { minItems: 1, maxItems: 4 }),
}, { additionalProperties: false });
const Operations = Type.Object({
  operations: Type.Array(Type.Union(OPERATIONS.map((op) => Type.Literal(op))), { minItems: 1, maxItems: 4 }),
}, { additionalProperties: false });
// Path parameters arrive as text (no type coercion): a positive integer of at most 15 digits.
const Params = Type.Object({ cenv: Type.String(), id: Type.String({ pattern: '^[1-9][0-9]{0,14}$' }) });

export async function adminPermissionRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/permissions', { schema: { summary: 'List table grants', response: { 200: PermissionList } }, config: { access: 'admin' } }, async (request) => {
    return { permissions: await app.deps.pools.use(request.caller.cenv.id, (db) => listPermissions(db)) };
  });

  app.post<{ Body: Static<typeof NewPermission> }>('/admin/permissions', {
    schema: { summary: 'Grant operations on a table to a role or a user', body: NewPermission, response: { 201: Permission }, errors: ['WCE_ERR_CONFLICT'] },
    config: { access: 'admin' },
  }, async (request, reply) => {
    const permission = await app.deps.pools.use(request.caller.cenv.id, (db) => createPermission(db, request.body, actorOf(request)));
    publishChange(request, 'access', [{ table: permission.table, action: 'grant', rows: null }], { roles: [permission.role ?? 'user'] });
    return reply.code(201).send(permission);
  });

  app.put<{ Params: Static<typeof Params>; Body: Static<typeof Operations> }>('/admin/permissions/:id', {
    schema: { summary: "Change a grant's operations (at once; delete the grant to take them all)", params: Params, body: Operations, response: { 200: Permission } },
    config: { access: 'admin' },
  }, async (request) => {
    const permission = await app.deps.pools.use(request.caller.cenv.id, (db) => updatePermission(db, Number(request.params.id), request.body.operations, actorOf(request)));
    publishChange(request, 'access', [{ table: permission.table, action: 'grant', rows: null }], { roles: [permission.role ?? 'user'] });
    return permission;
  });

  app.delete<{ Params: Static<typeof Params> }>('/admin/permissions/:id', {
    schema: { summary: 'Revoke a grant', params: Params, response: { 204: NoContent('revoked') } }, config: { access: 'admin' },
  }, async (request, reply) => {
    const removed = await app.deps.pools.use(request.caller.cenv.id, (db) => deletePermission(db, Number(request.params.id), actorOf(request)));
    publishChange(request, 'access', [{ table: removed.table, action: 'revoke', rows: null }], { roles: [removed.role ?? 'user'] });
    return reply.code(204).send();
  });
}
