/**
 * The `sql` op: `POST /{cenv}/sql` run in a child. The JSON reply text is built here so the
 * main process sends it without parsing it again.
 */
import { runSqlRequest } from '../db/run-sql.ts';
import type { OpHandler } from './handlers.ts';

export const sqlHandler: OpHandler<'sql'> = {
  run(ctx, payload) {
    const { body, writes, reads } = runSqlRequest(ctx.conn, ctx.principal, ctx.context, payload, { settings: ctx.settings, deadline: ctx.deadline });
    return { status: 200, body, effects: { writes, reads } };
  },
};
