/**
 * `POST /{cenv}/sql`: tenant SQL over HTTP. The body is one statement (`sql` + `params`) or
 * a batch (`statements`, run atomically); it runs in the sandbox as the caller (anonymous
 * callers get the `anonymous` role's grants) and the child's JSON text is sent as it is.
 *
 * Parameter values are checked here against their JSON forms (scalars, `{"$int": "…"}`,
 * `{"$blob": "…"}`: src/db/values.ts owns their meaning), so nothing nested reaches the
 * sandbox; the child checks them again as it binds.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { MAX_SQL_LENGTH } from '../../db/connection.ts';
import { mayWrite } from '../../db/effects.ts';
import { runOp } from '../sandbox-call.ts';
import { SqlParams } from './sql-schema.ts';

const Sql = Type.String({ minLength: 1, maxLength: MAX_SQL_LENGTH });
const Statement = Type.Object({ sql: Sql, params: Type.Optional(SqlParams) }, { additionalProperties: false });
const Body = Type.Union([
  Statement,
  Type.Object({ statements: Type.Array(Statement, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
]);

/** @example app.register(cenvScope([sqlRoutes]), { prefix: '/:cenv' }) */
export async function sqlRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Static<typeof Body> }>('/sql', { schema: { body: Body }, config: { access: 'anonymous' } }, async (request, reply) => {
    const body = request.body;
    const writes = 'statements' in body ? body.statements.some((s) => mayWrite(s.sql)) : mayWrite(body.sql);
    const result = await runOp(app, request, 'sql', body, { writes });
    return reply.type('application/json; charset=utf-8').send(result.body);
  });
}
