/**
 * Servers under test run as child processes, so the load generator (autocannon, in the
 * bench's own process) never shares their event loop. Their output goes to a file, as a
 * production server's would, rather than through a pipe the bench would have to drain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The server limits of a bench: rate limits off (tens of thousands of requests a second come
 * from one address), and a 4 GiB ceiling on a cenv's size, which the data set raises its cenv
 * to (bench/data/dataset.ts: the create case would otherwise fill the default 100 MB).
 */
export const BENCH_LIMITS: Readonly<Record<string, string>> = Object.freeze({
  WCE_RATE_LIMIT_IP_PER_MIN: '0', WCE_RATE_LIMIT_USER_PER_MIN: '0', WCE_RATE_LIMIT_CENV_PER_MIN: '0', WCE_MAX_DB_BYTES: String(4 * 1024 ** 3),
});

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Sends SIGTERM and waits for the exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

import { freePort } from '../../test/helpers/processes.ts';

export { freePort };

async function waitUntilHealthy(url: string, exited: Promise<number | null>, logFile: string): Promise<void> {
  let gone = false;
  void exited.then(() => { gone = true; });
  for (const started = Date.now(); Date.now() - started < 15_000;) {
    if (gone) throw new Error(`server exited before answering:\n${readFileSync(logFile, 'utf8')}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not answer /health within 15 s:\n${readFileSync(logFile, 'utf8')}`);
}

/**
 * Starts `node [nodeArgs] script` with `env` (plus PATH) and resolves once GET /health
 * answers on `port`. Everything the child writes goes to `logFile`.
 */
export async function startServer(script: string, port: number, env: Record<string, string>, logFile: string, nodeArgs: string[] = [], scriptArgs: string[] = []): Promise<ServerProcess> {
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, script, ...scriptArgs], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', out, out],
    cwd: ROOT,
  });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, exited, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url, child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Where one bench run keeps its files; `secret` is the JWT key WCE and the bare server share. */
export interface Workspace { dir: string; dataDir: string; secret: string }

/**
 * Starts WCE (`bin/wce.mjs`) on a free port. `logLevel` null means the default (info), as in
 * production; `nodeArgs` e.g. `--cpu-prof`.
 */
export async function startWce(space: Workspace, logLevel: string | null, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  // WCE_* variables of the bench's own environment pass through (e.g. WCE_SANDBOX_PROCESSES=4 npm run bench).
  const passed = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('WCE_'))) as Record<string, string>;
  // Load comes from one address, far past any per-minute limit, and writes fast (BENCH_LIMITS).
  const env: Record<string, string> = {
    ...BENCH_LIMITS, ...passed, WCE_DATA_DIR: space.dataDir, WCE_HOST: '127.0.0.1', WCE_PORT: String(port), WCE_JWT_SECRET: space.secret,
  };
  if (logLevel) env.WCE_LOG_LEVEL = logLevel;
  return startServer(path.join(ROOT, 'bin/wce.mjs'), port, env, path.join(space.dir, `wce-${logLevel ?? 'info'}.log`), nodeArgs, ['serve']);
}

/** Starts bare-server.ts on a free port, serving the cenv `cenvId` that WCE created. */
export async function startBare(space: Workspace, cenvId: string, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  return startServer(path.join(import.meta.dirname, 'bare-server.ts'), port, {
    BARE_PORT: String(port), BARE_DB: path.join(space.dataDir, `${cenvId}.db`), BARE_CENV: cenvId, BARE_KEY: space.secret,
  }, path.join(space.dir, 'bare.log'), nodeArgs);
}
