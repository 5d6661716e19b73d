/**
 * `POST /{cenv}/sql`: tenant SQL over HTTP. The body is one statement (`sql` + `params`) or
 * a batch (`statements`, run atomically); it runs in the sandbox as the caller (anonymous
 * callers get the `anonymous` role's grants) and the child's JSON text is sent as it is.
 *
 * `as_user` (owner/admin only) runs the SQL with that user's principal instead of the caller's,
 * audited as `sql_as_user` (src/access/run-as.ts): the console's "run as" shows what a user's
 * grants and policies let them see.
 *
 * Parameter values are checked here against their JSON forms (scalars, `{"$int": "…"}`,
 * `{"$blob": "…"}`: src/db/values.ts owns their meaning), so nothing nested reaches the
 * sandbox; the child checks them again as it binds.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { MAX_SQL_LENGTH } from '../../db/connection.ts';
import { mayWrite } from '../../db/effects.ts';
import { runAsPrincipal } from '../../access/run-as.ts';
import { runOp } from '../sandbox-call.ts';
import { actorOf } from '../caller.ts';
import { SqlParams } from './sql-schema.ts';

const Sql = Type.String({ minLength: 1, maxLength: MAX_SQL_LENGTH });
const Statement = Type.Object({ sql: Sql, params: Type.Optional(SqlParams) }, { additionalProperties: false });
const AsUser = Type.Optional(Type.String({ minLength: 1, maxLength: 64 }));
const Body = Type.Union([
  Type.Object({ sql: Sql, params: Type.Optional(SqlParams), as_user: AsUser }, { additionalProperties: false }),
  Type.Object({ statements: Type.Array(Statement, { minItems: 1, maxItems: 1000 }), as_user: AsUser }, { additionalProperties: false }),
]);
type SqlBody = Static<typeof Body>;

/** The SQL text of a body, for the audit row of a run-as. */
function statementText(body: SqlBody): string {
  return 'sql' in body ? body.sql : body.statements.map((s) => s.sql).join(';\n');
}

/** @example app.register(cenvScope([sqlRoutes]), { prefix: '/:cenv' }) */
export async function sqlRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: SqlBody }>('/sql', { schema: { body: Body }, config: { access: 'anonymous', cors: true } }, async (request, reply) => {
    const { as_user: asUser, ...payload } = request.body;
    const principal = asUser === undefined ? undefined : await app.deps.pools.use(request.caller.cenv.id,
      (db) => runAsPrincipal(db, request.caller.principal, asUser, actorOf(request), statementText(request.body)));
    const writes = 'statements' in payload ? payload.statements.some((s) => mayWrite(s.sql)) : mayWrite(payload.sql);
    const result = await runOp(app, request, 'sql', payload, { principal, writes });
    return reply.type('application/json; charset=utf-8').send(result.body);
  });
}
