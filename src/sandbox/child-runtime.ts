/**
 * The loop of a sandbox child process: take a job, find the cenv's connection, run the op's
 * handler, send one reply. Everything here is synchronous, which is the point: while SQLite
 * or a script runs, this process is busy, and the main process stays free to answer others
 * or to kill this one at the hard deadline.
 *
 * The entry point (src/child.ts) passes the table of handlers; options arrive in the
 * WCE_SANDBOX environment variable as JSON (ChildOptions).
 */
import type { GateFactory, TenantConnection } from '../db/connection.ts';
import { startCapture } from '../db/capture.ts';
import type { ServerSettings, Settings } from '../cenv/settings.ts';
import type { Principal } from '../auth/principal.ts';
import type { CenvCache } from './cenv-cache.ts';
import { ChildConnections } from './connections.ts';
import type { OpContext, OpHandler, OpHandlers } from './handlers.ts';
import { toWireError, type ChildMessage, type JobMessage, type LogMessage, type OpName, type OpReply, type ParentMessage, type RequestContext } from './protocol.ts';

export interface ChildOptions { dataDir: string; server: ServerSettings; maxConnections: number }

/** Replies larger than this are refused in the child: the main process buffers each whole. */
export const MAX_REPLY_BYTES = 48 * 1024 * 1024;

function send(message: ChildMessage): void {
  // The main process may have let this child go while it was starting or working.
  if (process.connected) process.send!(message);
}

/** Sends a log line of `job` to the main process, which writes it with the request id. */
function logLine(job: JobMessage, level: LogMessage['level'], message: string, details?: Record<string, unknown>): void {
  send({ kind: 'log', level, message, requestId: job.context.requestId ?? null, cenvId: job.cenvId, op: job.op, ...(details ? { details } : {}) });
}

/** The context of an op on its cenv: the connection with its request begun (settings read, per-connection state cleared). */
class CenvJobContext implements OpContext {
  readonly conn: TenantConnection;
  readonly cache: CenvCache;
  readonly settings: Settings;
  readonly principal: Principal;
  readonly context: RequestContext;
  readonly deadline: number;
  readonly timeoutMs: number;
  private readonly job: JobMessage;

  constructor(connections: ChildConnections, job: JobMessage) {
    const { conn, cache } = connections.get(job.cenvId, job.generation);
    this.conn = conn;
    this.cache = cache;
    this.settings = conn.beginRequest();
    this.principal = job.principal;
    this.context = job.context;
    this.deadline = Date.now() + job.timeoutMs;
    this.timeoutMs = job.timeoutMs;
    this.job = job;
  }

  log(level: LogMessage['level'], message: string, details?: Record<string, unknown>): void {
    logLine(this.job, level, message, details);
  }
}

/** The context of an op that works on a file of its own (`opensCenv: false`): the cenv is never opened. */
class FileJobContext implements OpContext {
  readonly principal: Principal;
  readonly context: RequestContext;
  readonly deadline: number;
  readonly timeoutMs: number;
  private readonly job: JobMessage;

  constructor(job: JobMessage) {
    this.principal = job.principal;
    this.context = job.context;
    this.deadline = Date.now() + job.timeoutMs;
    this.timeoutMs = job.timeoutMs;
    this.job = job;
  }

  get conn(): never { return FileJobContext.refuse(); }
  get cache(): never { return FileJobContext.refuse(); }
  get settings(): never { return FileJobContext.refuse(); }

  log(level: LogMessage['level'], message: string, details?: Record<string, unknown>): void {
    logLine(this.job, level, message, details);
  }

  private static refuse(): never {
    throw new Error('this op declared that it does not open its cenv (OpHandler.opensCenv: false)');
  }
}

function runJob(connections: ChildConnections, handlers: OpHandlers, job: JobMessage): ChildMessage {
  try {
    const handler = handlers[job.op] as OpHandler<OpName> | undefined;
    if (!handler) throw new Error(`unknown sandbox op "${String(job.op)}"`);
    const cenvCtx = handler.opensCenv === false ? null : new CenvJobContext(connections, job);
    const ctx = cenvCtx ?? new FileJobContext(job);
    const capture = job.capture && cenvCtx ? startCapture(cenvCtx.conn) : null;
    let reply: OpReply | undefined;
    try {
      reply = handler.run(ctx, job.payload);
    } finally {
      // The session is closed either way; a failed job's changes were rolled back.
      const changes = capture?.finish();
      if (reply && changes && changes.length > 0) reply.effects.changes = changes;
    }
    if (reply.body.length > MAX_REPLY_BYTES) {
      return { kind: 'error', id: job.id, error: { code: 'WCE_ERR_PAYLOAD_TOO_LARGE', status: 413, message: `the reply is larger than ${MAX_REPLY_BYTES / (1024 * 1024)} MB; ask for less data at once` } };
    }
    return { kind: 'reply', id: job.id, reply };
  } catch (error) {
    const wire = toWireError(error);
    if (wire.status >= 500) {
      // A resource limit or a fault: start this cenv's connection afresh, and keep the
      // details of a fault (not of a limit) in the server log.
      if (wire.status === 500) {
        const e = error as { message?: unknown; stack?: unknown };
        logLine(job, 'error', 'sandbox op failed', { pid: process.pid, err: { message: String(e?.message ?? error), stack: String(e?.stack ?? '') } });
      }
      connections.evict(job.cenvId);
    }
    return { kind: 'error', id: job.id, error: wire };
  }
}

/**
 * Serves jobs until the main process goes away.
 * @example serveChild({ sql: sqlHandler, endpoint: endpointHandler, render: renderHandler }, (db, dataVersion) => new AccessGuard(db, { dataVersion }))
 */
export function serveChild(handlers: OpHandlers, makeGate: GateFactory): void {
  const options = JSON.parse(process.env.WCE_SANDBOX ?? '{}') as ChildOptions;
  const connections = new ChildConnections(options.dataDir, options.server, makeGate, options.maxConnections);
  const handle = (message: ParentMessage): void => {
    if (message.kind === 'batch') return message.messages.forEach(handle);
    if (message.kind === 'evict') {
      connections.evict(message.cenvId);
      // The drain waits for this: the file may be replaced only once no child holds it open.
      if (message.ack !== undefined) send({ kind: 'evicted', ack: message.ack });
      return;
    }
    // Each reply goes out as soon as its job is done: it must not wait behind the next job.
    send(runJob(connections, handlers, message));
  };
  process.on('message', handle);
  // The main process went away or let this child go: close the databases cleanly and exit.
  const leave = (): void => {
    connections.closeAll();
    process.exit(0);
  };
  process.on('disconnect', leave);
  // A send can still fail if the channel closed under it (EPIPE): the main process is gone.
  process.on('error', leave);
  send({ kind: 'ready' });
}
