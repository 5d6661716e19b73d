/**
 * The policy debugger (owner/admin): `POST /{cenv}/admin/explain` explains one statement for
 * a chosen user (what runs, the grants consulted, the rows they miss and the policy behind
 * each, a write's skipped rows and failing CHECK — all in transactions that are rolled back),
 * and `POST /{cenv}/admin/policies/preview` says who would gain or lose rows with a draft
 * policy before it is saved. Both run in the sandbox; neither changes anything.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ANONYMOUS, type Principal } from '../../auth/principal.ts';
import { findUserById } from '../../auth/users.ts';
import { validatePolicyInput } from '../../access/policies.ts';
import { POLICY_COMMANDS, POLICY_ROLES } from '../../access/model.ts';
import { MAX_SQL_LENGTH } from '../../db/connection.ts';
import { NotFoundError } from '../../errors.ts';
import { runOp } from '../sandbox-call.ts';
import { SqlParams } from './sql-schema.ts';

const Explain = Type.Object({
  sql: Type.String({ minLength: 1, maxLength: MAX_SQL_LENGTH }),
  params: Type.Optional(SqlParams),
  /** A user id, or "anonymous". */
  as_user: Type.String({ minLength: 1, maxLength: 64 }),
}, { additionalProperties: false });

const Draft = Type.Object({
  id: Type.Optional(Type.Integer({ minimum: 1 })),
  table: Type.String({ minLength: 1, maxLength: 128 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
  commands: Type.Array(Type.Union(POLICY_COMMANDS.map((c) => Type.Literal(c))), { minItems: 1, maxItems: 5 }),
  roles: Type.Array(Type.Union(POLICY_ROLES.map((r) => Type.Literal(r))), { minItems: 1, maxItems: 4 }),
  using: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
  check: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
  kind: Type.Optional(Type.Union([Type.Literal('permissive'), Type.Literal('restrictive')])),
}, { additionalProperties: false });

export async function adminDebuggerRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Static<typeof Explain> }>('/admin/explain', { schema: { body: Explain }, config: { access: 'admin' } }, async (request, reply) => {
    const { cenv } = request.caller;
    const { as_user: asUser, sql, params } = request.body;
    let target: Principal = ANONYMOUS;
    if (asUser !== 'anonymous') {
      const user = await app.deps.pools.use(cenv.id, (db) => findUserById(db, asUser));
      if (!user) throw new NotFoundError(`no user with id ${asUser}; give a user id or "anonymous"`);
      target = { userId: user.id, username: user.username, role: user.role, sessionId: null };
    }
    const result = await runOp(app, request, 'explain', { sql, params, target }, { writes: false });
    return reply.type('application/json; charset=utf-8').send(result.body);
  });

  app.post<{ Body: Static<typeof Draft> }>('/admin/policies/preview', { schema: { body: Draft }, config: { access: 'admin' } }, async (request, reply) => {
    const body = request.body;
    const draft = {
      ...(body.id !== undefined ? { id: body.id } : {}), table: body.table, name: body.name ?? 'draft', commands: body.commands,
      roles: body.roles, using: body.using ?? null, check: body.check ?? null, kind: body.kind ?? 'permissive',
    };
    await app.deps.pools.use(request.caller.cenv.id, (db) => validatePolicyInput(db, draft));
    const result = await runOp(app, request, 'policyPreview', draft, { writes: false });
    return reply.type('application/json; charset=utf-8').send(result.body);
  });
}
