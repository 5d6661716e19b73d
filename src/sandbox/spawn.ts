/**
 * Starting one sandbox child with its memory caps. Node has no setrlimit, so the child is
 * started through util-linux's `prlimit` when it is installed: RLIMIT_DATA bounds everything
 * the process allocates (SQLite's heap included — a query that asks for more gets SQLite's
 * "out of memory" error, or the process dies, and only its request fails). V8's own heap is
 * capped with --max-old-space-size either way. (SQLite's own `PRAGMA hard_heap_limit` is
 * accepted but not enforced: Node's SQLite is built with SQLITE_DEFAULT_MEMSTATUS=0, so it
 * keeps no allocation count to compare with — measured, a 60 MB randomblob passed a 50 MB limit.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ChildOptions } from './child-runtime.ts';

const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((file) => existsSync(file)) ?? null;
/**
 * Node 24 reserves about 570 MB of writable address space before running any code (V8's code
 * range and heap reservations; measured with /proc/self/status VmData), all of which counts
 * against RLIMIT_DATA although little of it is ever touched. The cap is set this far above
 * the memory budget so the budget is what tenant work can actually use.
 */
const NODE_RESERVED_MB = 640;

export interface SpawnOptions extends ChildOptions {
  /** The entry point to run (src/child.ts). */
  childFile: string;
  /** Memory a child may use beyond Node's fixed reservations, in MB. */
  memoryMb: number;
  /** Extra Node flags for the child, e.g. ['--cpu-prof'] while profiling. */
  execArgv?: string[];
}

/**
 * The Node flags a child runs with for a memory budget: V8's heap gets half the budget. Also
 * what bench/starlark starts its children with, so that benchmark measures what runs here.
 * @example childNodeFlags(512) // ['--max-old-space-size=256']
 */
export function childNodeFlags(memoryMb: number): string[] {
  return [`--max-old-space-size=${Math.max(64, Math.floor(memoryMb / 2))}`];
}

/** True when the data-segment cap can be applied on this machine. */
export const MEMORY_CAP_AVAILABLE = PRLIMIT !== null;

/**
 * Starts a child with a JSON IPC channel.
 * @example const child = spawnChild({ childFile, dataDir, server, maxConnections: 64, memoryMb: 768 })
 */
export function spawnChild(options: SpawnOptions): ChildProcess {
  const { memoryMb, execArgv = [], childFile, ...childOptions } = options;
  const node = [process.execPath, ...childNodeFlags(memoryMb), ...execArgv, childFile];
  const [command, ...args] = PRLIMIT ? [PRLIMIT, `--data=${(memoryMb + NODE_RESERVED_MB) * 1024 * 1024}`, '--', ...node] : node;
  return spawn(command, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // JSON costs the main process about a third less CPU per round trip than V8's serialiser
    // for these small messages (measured: 11 µs against 17.5 µs), even with the reply body
    // escaped once more inside it.
    serialization: 'json',
    env: { ...process.env, WCE_SANDBOX: JSON.stringify(childOptions) },
  });
}
