/**
 * The messages between the main process and a sandbox child: one request down, one reply up
 * (plus a `deadline` notice when the child knows a cenv's time limit better than the main
 * process did). Errors travel as {code, status, message} and become WCE's named errors again.
 */
import type { Principal } from '../auth/principal.ts';
import type { RequestContext, Write } from '../db/tenant-db.ts';
import * as errors from '../errors.ts';

export interface ChildRequest {
  id: number;
  /** Which handler runs it in the child, e.g. `sql`. */
  op: string;
  cenvId: string;
  principal: Principal;
  context: RequestContext;
  /** The time limit the main process's hard deadline assumes. */
  timeoutMs: number;
  payload: unknown;
}

export interface WireError { code: string; status: number; message: string }

export type ChildReply =
  | { id: number; kind: 'deadline'; timeoutMs: number }
  | { id: number; kind: 'ok'; body: string; writes: Write[] }
  | { id: number; kind: 'error'; error: WireError };

/** The error classes of src/errors.ts by code, to rebuild a child's error in the main process. */
const BY_CODE = new Map<string, new (message: string) => Error>();
for (const value of Object.values(errors)) {
  if (typeof value !== 'function') continue;
  // @fastify/error sets `code` per instance, so ask one instance for it.
  const Ctor = value as unknown as new (message: string) => Error & { code?: unknown };
  const code = new Ctor('probe').code;
  if (typeof code === 'string') BY_CODE.set(code, Ctor);
}

/**
 * What a child sends for a failure. A client error keeps its code, status and message; any
 * other failure becomes a bare internal error (its stack goes to the child's stderr).
 */
export function toWireError(error: unknown): WireError {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status === 500 || typeof e?.code !== 'string') {
    return { code: 'WCE_ERR_INTERNAL', status: 500, message: 'internal error in the sandbox' };
  }
  return { code: e.code, status, message: String(e.message) };
}

/**
 * The named error for a wire error, so the server's error handler shapes it like any other.
 * @example throw fromWireError({ code: 'WCE_ERR_FORBIDDEN', status: 403, message: 'permission denied' })
 */
export function fromWireError(wire: WireError): Error {
  const Known = BY_CODE.get(wire.code);
  if (Known && wire.code !== 'WCE_ERR_INTERNAL') return new Known(wire.message);
  return Object.assign(new Error(wire.message), { code: wire.code, statusCode: wire.status });
}
