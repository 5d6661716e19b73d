/**
 * Entry point of a sandbox child process (forked by pool.ts). It serves one request at a
 * time, in the order they arrive: find the cenv's connection, run the op, send one reply.
 * Everything here is synchronous, which is the point: while SQLite runs, this process is
 * busy, and the main process stays free to answer others or to kill this one.
 *
 * Options arrive in the WCE_SANDBOX environment variable as JSON (see ChildOptions).
 */
import { ChildConnections } from './connections.ts';
import { AccessGuard } from '../access/guard.ts';
import { toWireError, type ChildReply, type ChildRequest } from './protocol.ts';
import { runSqlRequest, type SqlRequest } from '../db/run-sql.ts';
import type { SqlLimits } from '../db/limits.ts';
import type { TenantConnection } from '../db/connection.ts';
import type { Principal } from '../auth/principal.ts';
import type { RequestContext, Write } from '../db/tenant-db.ts';

export interface ChildOptions { dataDir: string; defaults: SqlLimits; maxConnections: number }

interface Op {
  run(conn: TenantConnection, principal: Principal, context: RequestContext, payload: unknown, limits: SqlLimits): { body: string; writes: Write[] };
  /** The op's time limit in this cenv (what the main process's hard deadline must use). */
  timeoutMs(limits: SqlLimits): number;
}

/** What a child can run; Starlark endpoints and page renders add theirs here. */
const OPS: Record<string, Op> = {
  sql: {
    run: (conn, principal, context, payload, limits) => runSqlRequest(conn, principal, context, payload as SqlRequest, limits),
    timeoutMs: (limits) => limits.sqlTimeoutMs,
  },
};

const options = JSON.parse(process.env.WCE_SANDBOX ?? '{}') as ChildOptions;
const connections = new ChildConnections(options.dataDir, options.defaults, (db) => new AccessGuard(db), options.maxConnections);

function send(reply: ChildReply | { kind: 'ready' }): void {
  // The main process may have let this child go while it was starting or working.
  if (process.connected) process.send!(reply);
}

function serve(request: ChildRequest): ChildReply {
  try {
    const op = OPS[request.op];
    if (!op) throw new Error(`unknown sandbox op "${request.op}"`);
    const conn = connections.get(request.cenvId);
    conn.resetRequestState();
    const limits = conn.limits();
    // The main process armed its hard deadline with the limit it knew; correct it first.
    const timeoutMs = op.timeoutMs(limits);
    if (timeoutMs !== request.timeoutMs) send({ id: request.id, kind: 'deadline', timeoutMs });
    const { body, writes } = op.run(conn, request.principal, request.context, request.payload, limits);
    return { id: request.id, kind: 'ok', body, writes };
  } catch (error) {
    const wire = toWireError(error);
    if (wire.status >= 500) {
      // A resource limit or a fault: start this cenv's connection afresh, and keep the
      // details of a fault (not of a limit) in the server log.
      if (wire.status === 500) console.error(`sandbox ${process.pid}: ${request.op} on ${request.cenvId} failed:`, error);
      connections.evict(request.cenvId);
    }
    return { id: request.id, kind: 'error', error: wire };
  }
}

process.on('message', (message: ChildRequest | { op: 'evict'; cenvId: string }) => {
  if (message.op === 'evict') return connections.evict(message.cenvId);
  send(serve(message as ChildRequest));
});
// The main process went away or let this child go: close the databases cleanly and exit.
function leave(): void {
  connections.closeAll();
  process.exit(0);
}
process.on('disconnect', leave);
// A send can still fail if the channel closed under it (EPIPE): the main process is gone.
process.on('error', leave);
send({ kind: 'ready' });
