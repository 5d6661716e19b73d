/**
 * The sandbox pool's options with their defaults, and the bookkeeping records it keeps per
 * request and per child.
 */
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Principal } from '../auth/principal.ts';
import type { CommitHooks } from '../db/commit-hooks.ts';
import type { SqlLimits } from '../db/limits.ts';
import type { RequestContext } from '../db/tenant-db.ts';
import type { ChildRequest } from './protocol.ts';

export interface SandboxOptions {
  dataDir: string;
  /** Server-wide limits (config); a cenv's `_wce_config` overrides them in the child. */
  defaults: SqlLimits;
  /** Number of children; default min(2, available cores)… at least 1. */
  size?: number;
  /** Memory budget per child in MB (SQLite and JS together; V8's heap gets half). */
  memoryMb?: number;
  /** How long past its deadline a request may run before its child is killed. */
  graceMs?: number;
  /**
   * When requests wait while every child has been busy with one request for this long (a
   * runaway, most likely), a temporary extra child is started, up to `size` extra ones; extra
   * children leave again once the queue is empty.
   */
  burstAfterMs?: number;
  /**
   * Requests a child may hold at once. Above 1, the next request waits in the child's pipe, so
   * the child rarely sleeps and the main process rarely pays for waking it (measured here:
   * about 30% less CPU per request). A request is only queued behind one that started less
   * than a few milliseconds ago, so few can end up waiting behind a runaway (they are sent to
   * another child when it is killed).
   */
  pipeline?: number;
  /** More waiting requests than this are refused with 503. */
  maxQueue?: number;
  /** Open cenv connections per child. */
  maxConnections?: number;
  hooks?: CommitHooks;
  /** Extra Node flags for the children (profiling). */
  execArgv?: string[];
  logger?: { warn(details: object, message: string): void };
}

/** One unit of tenant work. */
export interface SandboxJob {
  op: string;
  cenvId: string;
  principal: Principal;
  context: RequestContext;
  payload: unknown;
  /** The `_wce_config` key of the time limit, named in the timeout message. */
  limitName: string;
  /** The limit to assume until the child reports the cenv's own. */
  timeoutMs: number;
}

export interface Pending {
  job: SandboxJob;
  request: ChildRequest;
  resolve(body: string): void;
  reject(error: Error): void;
  startedAt: number;
}

export interface Child {
  proc: ChildProcess;
  ready: boolean;
  retired: boolean;
  inflight: Pending[];
  timer: NodeJS.Timeout | null;
  /** Started for a burst; leaves when idle, is not replaced. */
  extra: boolean;
}

export type ResolvedOptions = Required<Omit<SandboxOptions, 'hooks' | 'logger' | 'execArgv'>> & SandboxOptions;

/**
 * Fills in the defaults: up to 2 children (the cores of a small server), 512 MB each, 1 s of
 * grace, a burst after 1 s, 2 requests per child.
 * @example withDefaults({ dataDir, defaults }).size // 2 on a 2-core machine
 */
export function withDefaults(options: SandboxOptions): ResolvedOptions {
  return {
    size: Math.max(1, Math.min(2, availableParallelism())),
    memoryMb: 512,
    graceMs: 1000,
    burstAfterMs: 1000,
    pipeline: 2,
    maxQueue: 10_000,
    maxConnections: 64,
    ...options,
  };
}
