/**
 * `POST /{cenv}/sql`: tenant SQL over HTTP. The body is one statement (`sql` + `params`) or
 * a batch (`statements`, run atomically); it runs in the sandbox as the caller (anonymous
 * callers get the `anonymous` role's grants) and the child's JSON text is sent as it is.
 * Parameter values are checked in the child (src/db/values.ts), which owns their JSON forms.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';

const Sql = Type.String({ minLength: 1, maxLength: 100_000 });
const Params = Type.Union([Type.Array(Type.Unknown()), Type.Record(Type.String(), Type.Unknown())]);
const Statement = Type.Object({ sql: Sql, params: Type.Optional(Params) }, { additionalProperties: false });
const Body = Type.Union([
  Statement,
  Type.Object({ statements: Type.Array(Statement, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
]);

/** @example app.register(cenvScope([sqlRoutes]), { prefix: '/:cenv' }) */
export async function sqlRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Static<typeof Body> }>('/sql', { schema: { body: Body } }, async (request, reply) => {
    const userAgent = request.headers['user-agent'];
    const body = await app.deps.sandbox.sql(request.cenv.id, request.principal, {
      ip: request.ip,
      userAgent: typeof userAgent === 'string' ? userAgent : null,
    }, request.body);
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
