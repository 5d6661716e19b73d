/**
 * Running an op in the sandbox for a request: the job is built from `request.caller` (time
 * limit and caps from the cenv's settings, the anonymous address for the per-address cap),
 * and what the work committed is published on the commit-event bus once the reply is back.
 * Its duration, waiting included, goes to the metrics by op.
 *
 * @example const reply = await runOp(app, request, 'sql', request.body);
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import { sandboxJob } from '../sandbox/job.ts';
import type { OpName, PayloadOf, ReplyOf } from '../sandbox/protocol.ts';

export async function runOp<K extends OpName>(
  app: FastifyInstance, request: FastifyRequest, op: K, payload: PayloadOf<K>,
  options: { principal?: Principal; /** the job may write (scheduling hint; default true) */ writes?: boolean } = {},
): Promise<ReplyOf<K>> {
  const { cenv, settings, ip, userAgent } = request.caller;
  const principal = options.principal ?? request.caller.principal;
  const started = performance.now();
  let ok = false;
  let reply: ReplyOf<K>;
  try {
    reply = await app.deps.sandbox.run(sandboxJob(op, cenv.id, principal, payload, settings, {
      writes: options.writes ?? true,
      // Someone listens to this cenv's changes: record which rows the job changes.
      capture: app.deps.events.watching(cenv.id),
      context: { ip, userAgent, requestId: request.id },
      ipKey: request.caller.principal.role === 'anonymous' ? ip : null,
    }));
    ok = true;
  } finally {
    app.deps.metrics.op(op, (performance.now() - started) / 1000, ok);
  }
  if (reply.effects.writes.length > 0) {
    void app.deps.bus.publish({ cenvId: cenv.id, principal, kind: 'data', writes: reply.effects.writes, changes: reply.effects.changes });
  }
  return reply;
}
