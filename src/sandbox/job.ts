/**
 * Building a sandbox job from a cenv's settings, in one place: the op's time limit
 * (OP_TIME_LIMITS names the setting) and the per-cenv, per-address and connection caps. Request routes
 * (src/server/sandbox-call.ts) and background work without a request (page re-renders)
 * both queue their jobs through this.
 *
 * @example sandbox.run(sandboxJob('render', cenvId, ANONYMOUS, payload, settings))
 */
import type { Principal } from '../auth/principal.ts';
import type { Settings } from '../cenv/settings.ts';
import type { SandboxJob } from './options.ts';
import { OP_TIME_LIMITS, type OpName, type PayloadOf, type RequestContext } from './protocol.ts';

export interface JobOrigin {
  /** Who asked, for the audit log and the logs; empty for background work. */
  context?: RequestContext;
  /** The client address of an anonymous caller (counted against its cap); null otherwise. */
  ipKey?: string | null;
  /** The job may write (a scheduling hint: a cenv's writes go to one child); default true. */
  writes?: boolean;
  /** Record the keys of the rows the job changes (the cenv has event-stream listeners). */
  capture?: boolean;
}

export function sandboxJob<K extends OpName>(
  op: K, cenvId: string, principal: Principal, payload: PayloadOf<K>, settings: Settings, origin: JobOrigin = {},
): SandboxJob<K> {
  return {
    op, cenvId, principal, payload, writes: origin.writes ?? true,
    ...(origin.capture ? { capture: true } : {}),
    context: origin.context ?? {},
    timeoutMs: settings[OP_TIME_LIMITS[op]] as number,
    ipKey: origin.ipKey ?? null,
    caps: { perCenv: settings.sandbox_max_jobs_per_cenv, perIp: settings.sandbox_max_jobs_per_ip, connections: settings.connections_per_cenv },
  };
}
