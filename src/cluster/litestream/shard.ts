/**
 * One Litestream process replicating a set of cenvs from a generated config file.
 * Litestream 0.3 reads its config only at start, so changing the set means a restart: the
 * old process is stopped with SIGTERM, which makes it sync every database one last time
 * before it exits (measured: nothing committed before the signal is lost), then a new one
 * starts with the new list. A process that dies on its own is restarted with a backoff.
 *
 * Its JSON log lines are turned into events per database: `snapshot` (a snapshot reached
 * the replica), `segment-start` (a snapshot or WAL segment is being written), `segment` (a
 * WAL segment has been written),
 * which the replicator uses to confirm new replicas and to measure lag.
 *
 * @example
 *   const shard = new Shard(1, dir, (db, event) => …, log);
 *   await shard.run([{ dbPath, target }]);  // (re)start with this list
 *   await shard.stop();                       // final sync, exit
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { litestreamCommand, litestreamEnv } from './binary.ts';
import { shardConfig, type ReplicatedDb } from './config.ts';
import type { SessionLogger } from '../session.ts';

export type ShardEvent = 'snapshot' | 'segment-start' | 'segment';

const EVENTS: Record<string, ShardEvent> = {
  'write snapshot': 'segment-start',
  'snapshot written': 'snapshot',
  'write wal segment': 'segment-start',
  'wal segment written': 'segment',
};

/** How long a stopping process may take for its final sync before it is killed. */
const STOP_GRACE_MS = 60_000;

export class Shard {
  readonly id: number;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private dbs: ReplicatedDb[] = [];
  private wanted = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastErrorLog = 0;
  private readonly configFile: string;
  private readonly onEvent: (dbPath: string, event: ShardEvent) => void;
  private readonly log: SessionLogger;

  constructor(id: number, dir: string, onEvent: (dbPath: string, event: ShardEvent) => void, log: SessionLogger) {
    this.id = id;
    this.configFile = path.join(dir, `shard-${id}.yml`);
    this.onEvent = onEvent;
    this.log = log;
  }

  /** Pid of the running process (for measurements), or null. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Replaces the running process (final sync first) with one replicating `dbs`. */
  async run(dbs: ReplicatedDb[]): Promise<void> {
    await this.stop();
    this.dbs = dbs;
    if (dbs.length === 0) return;
    this.wanted = true;
    this.launch();
  }

  /** Stops the process; resolves once it has exited, i.e. after its final sync. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        this.log.error({ shard: this.id }, 'litestream: no exit after its final-sync grace; killing it');
        child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    this.child = null;
  }

  private launch(): void {
    writeFileSync(this.configFile, shardConfig(this.dbs), { mode: 0o600 });
    const { command, args } = litestreamCommand(['replicate', '-no-expand-env', '-config', this.configFile]);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: litestreamEnv() });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      resolve();
      this.exitedOnItsOwn(child, code, signal);
    }));
    child.on('error', (error) => this.log.error({ err: error, shard: this.id }, 'litestream: cannot start'));
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.line(line));
    }
  }

  private exitedOnItsOwn(child: ChildProcess, code: number | null, signal: string | null): void {
    if (!this.wanted || this.child !== child) return;
    this.failures++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6));
    this.log.error({ shard: this.id, code, signal, retryInMs: delay, dbs: this.dbs.length }, 'litestream: exited unexpectedly; replication of its cenvs is paused until it restarts');
    this.restartTimer = setTimeout(() => {
      if (this.wanted && this.child === child) this.launch();
    }, delay);
    this.restartTimer.unref();
  }

  private line(text: string): void {
    let entry: { msg?: string; db?: string; level?: string; error?: string };
    try {
      entry = JSON.parse(text);
    } catch {
      return;
    }
    const event = entry.msg ? EVENTS[entry.msg] : undefined;
    if (event && entry.db) {
      if (event === 'segment') this.failures = 0;
      this.onEvent(entry.db, event);
      return;
    }
    // Errors repeat every second while a replica is unreachable: one log line per 10 s.
    if (entry.level === 'ERROR' && Date.now() - this.lastErrorLog > 10_000) {
      this.lastErrorLog = Date.now();
      this.log.error({ shard: this.id, db: entry.db, litestream: entry.msg, detail: entry.error }, 'litestream: replication error');
    }
  }
}
