/**
 * `GET/POST /{cenv}/admin/policies`, `PUT/DELETE /{cenv}/admin/policies/{id}` (owner/admin).
 * Expressions are validated by src/access/policies.ts before anything is stored.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { createPolicy, deletePolicy, listPolicies, policyJson, updatePolicy } from '../../access/policies.ts';
import { POLICY_COMMANDS, POLICY_ROLES } from '../../access/model.ts';
import { actorOf, publishChange } from '../caller.ts';

const fields = {
  table: Type.String({ minLength: 1, maxLength: 128 }),
  name: Type.String({ minLength: 1, maxLength: 63 }),
  commands: Type.Array(Type.Union(POLICY_COMMANDS.map((c) => Type.Literal(c))), { minItems: 1, maxItems: 5 }),
  roles: Type.Array(Type.Union(POLICY_ROLES.map((r) => Type.Literal(r))), { minItems: 1, maxItems: 4 }),
  using: Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]),
  check: Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]),
  kind: Type.Union([Type.Literal('permissive'), Type.Literal('restrictive')]),
};
const NewPolicy = Type.Object({
  ...fields, using: Type.Optional(fields.using), check: Type.Optional(fields.check), kind: Type.Optional(fields.kind),
}, { additionalProperties: false });
const PolicyPatch = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
// Path parameters arrive as text (no type coercion): a positive integer of at most 15 digits.
const Params = Type.Object({ cenv: Type.String(), id: Type.String({ pattern: '^[1-9][0-9]{0,14}$' }) });

export async function adminPolicyRoutes(app: FastifyInstance): Promise<void> {
  const admin = { access: 'admin' } as const;
  app.get('/admin/policies', { config: admin }, async (request) => {
    const policies = await app.deps.pools.use(request.caller.cenv.id, (db) => listPolicies(db));
    return { policies: policies.map(policyJson) };
  });

  app.post<{ Body: Static<typeof NewPolicy> }>('/admin/policies', { schema: { body: NewPolicy }, config: admin }, async (request, reply) => {
    const input = { ...request.body, kind: request.body.kind ?? 'permissive' };
    const policy = await app.deps.pools.use(request.caller.cenv.id, (db) => createPolicy(db, input, actorOf(request)));
    publishChange(request, 'access', [{ table: policy.table, action: 'policy', rows: null }], { roles: policy.roles });
    return reply.code(201).send(policyJson(policy));
  });

  app.put<{ Params: Static<typeof Params>; Body: Static<typeof PolicyPatch> }>('/admin/policies/:id', { schema: { params: Params, body: PolicyPatch }, config: admin }, async (request) => {
    const policy = await app.deps.pools.use(request.caller.cenv.id, (db) => updatePolicy(db, Number(request.params.id), request.body, actorOf(request)));
    // Neither roles nor a table: an update may have moved the policy away from a role or a
    // table it used to govern, so anything may have changed.
    publishChange(request, 'access');
    return policyJson(policy);
  });

  app.delete<{ Params: Static<typeof Params> }>('/admin/policies/:id', { schema: { params: Params }, config: admin }, async (request, reply) => {
    const removed = await app.deps.pools.use(request.caller.cenv.id, (db) => deletePolicy(db, Number(request.params.id), actorOf(request)));
    publishChange(request, 'access', [{ table: removed.table, action: 'policy', rows: null }], { roles: removed.roles });
    return reply.code(204).send();
  });
}
