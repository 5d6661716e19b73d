/**
 * The sandbox pool's options with their defaults, and the records it keeps per job and per
 * child.
 */
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Principal } from '../auth/principal.ts';
import type { ServerSettings } from '../cenv/settings.ts';
import type { JobMessage, OpName, PayloadOf, ReplyOf, RequestContext } from './protocol.ts';
import type { Caps, Queueable } from './scheduler.ts';
import type { Outbox } from './outbox.ts';

export interface SandboxOptions {
  dataDir: string;
  /** The environment's side of every setting; children resolve each cenv's own on top. */
  server: ServerSettings;
  /** The child entry point (src/child.ts in the server; tests may pass their own). */
  childFile?: string;
  /** Number of children; default min(2, available cores), at least 1. */
  size?: number;
  /** Memory budget per child in MB (SQLite and JS together; V8's heap gets half). */
  memoryMb?: number;
  /** How long past its deadline a job may run before its child is killed. */
  graceMs?: number;
  /**
   * When jobs of a cenv that may run wait while every child has been busy this long (with
   * other cenvs' long jobs, most likely), a temporary extra child is started, up to
   * `maxExtra`; extras leave after `extraIdleMs` without work.
   */
  burstAfterMs?: number;
  maxExtra?: number;
  extraIdleMs?: number;
  /**
   * Jobs a child may hold at once. Above 1, the next jobs of the same cenv wait in the
   * child's pipe, so the child rarely sleeps, the main process rarely pays for waking it, and
   * jobs dispatched in one event-loop turn share one write (measured: 6 in flight cost a
   * quarter less CPU per request than 2; 16 served a fifth more creates than 6, whose writer
   * child sat idle a third of the time while the main process was busy). Only jobs of the
   * cenv already running there are queued, only behind a job that started a few milliseconds
   * ago, and only while no other cenv waits: another tenant's job never waits behind a
   * runaway or behind a pipe that one busy cenv keeps full.
   */
  pipeline?: number;
  /** More waiting jobs than this in all are refused with 503. */
  maxQueue?: number;
  /** Open cenv connections per child. */
  maxConnections?: number;
  /** Extra Node flags for the children (profiling). */
  execArgv?: string[];
  /** Where the pool's own warnings and the children's log lines go (pino fits). */
  logger?: { [L in 'error' | 'warn' | 'info']: (details: object, message: string) => void };
}

/** One unit of tenant work, as a caller hands it to the pool. */
export interface SandboxJob<K extends OpName = OpName> {
  op: K;
  cenvId: string;
  principal: Principal;
  context: RequestContext;
  payload: PayloadOf<K>;
  /** The op's time limit in this cenv, from its settings (OP_TIME_LIMITS names the key). */
  timeoutMs: number;
  /**
   * True when the job may write (a hint for scheduling: a cenv's writes go to one child at a
   * time, since SQLite would make a second writer wait on the lock anyway).
   */
  writes?: boolean;
  /** Record the keys of the rows the job changes (the cenv has event-stream listeners). */
  capture?: boolean;
  /** Client address of an anonymous caller, counted against `caps.perIp`; null when signed in. */
  ipKey: string | null;
  caps: Caps;
}

export interface Pending extends Queueable {
  job: SandboxJob;
  message: JobMessage;
  resolve(reply: ReplyOf<OpName>): void;
  reject(error: Error): void;
  startedAt: number;
}

export interface Child {
  proc: ChildProcess;
  /** Jobs and evictions on their way to the child, written once per event-loop turn. */
  outbox: Outbox;
  ready: boolean;
  retired: boolean;
  inflight: Pending[];
  /** The deadline watch of the job at the front (pool.ts `arm`), and when it fires. */
  timer: NodeJS.Timeout | null;
  timerAt: number;
  /** Started for a burst; leaves when idle for a while, is not replaced. */
  extra: boolean;
  /** Evictions it has not acknowledged yet (drain.ts). */
  acks: Set<number>;
  idleTimer: NodeJS.Timeout | null;
}

export type ResolvedOptions = Required<Omit<SandboxOptions, 'logger' | 'execArgv'>> & SandboxOptions;

const CHILD_FILE = new URL('../child.ts', import.meta.url).pathname;
/** A child's memory budget when none is given (also what bench/starlark starts its children with). */
export const DEFAULT_MEMORY_MB = 512;

/**
 * Fills in the defaults: up to 2 children (the cores of a small server), 512 MB each, 1 s of
 * grace, a burst after 200 ms, 16 jobs per child.
 * @example withDefaults({ dataDir, server }).size // 2 on a 2-core machine
 */
export function withDefaults(options: SandboxOptions): ResolvedOptions {
  const size = options.size ?? Math.max(1, Math.min(2, availableParallelism()));
  return {
    childFile: CHILD_FILE,
    size,
    memoryMb: DEFAULT_MEMORY_MB,
    graceMs: 1000,
    burstAfterMs: 200,
    maxExtra: Math.max(2, size * 2),
    extraIdleMs: 10_000,
    pipeline: 16,
    maxQueue: 10_000,
    maxConnections: 64,
    ...options,
  };
}
