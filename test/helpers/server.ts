/**
 * Real servers for tests. `startServer` runs WCE in this process on a random port with its
 * own temporary data directory (so a test can reach into `deps`); `spawnServer` runs
 * `bin/wce.mjs serve` as a child process, for what only a whole process shows (signals, logs,
 * exit codes). Both use bcrypt cost 4 unless told otherwise: fast, and the code path is the
 * same as with cost 12.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { DatabaseSync } from 'node:sqlite';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { freePort, waitForHttp } from './processes.ts';
import { buildApp } from '../../src/server/app.ts';
import type { CenvRoutePlugin } from '../../src/server/plugins/cenv-scope.ts';
import { createDeps, closeDeps } from '../../src/server/deps.ts';
import { createLogger } from '../../src/server/logger.ts';
import type { AppDeps } from '../../src/server/types.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Tests send far more than 100 requests a minute from one address: limits are off unless a test asks. */
export const NO_RATE_LIMITS: Readonly<Record<string, string>> = Object.freeze({
  WCE_RATE_LIMIT_IP_PER_MIN: '0', WCE_RATE_LIMIT_USER_PER_MIN: '0', WCE_RATE_LIMIT_CENV_PER_MIN: '0',
});

export function tempDir(prefix = 'wce-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  deps: AppDeps;
  dataDir: string;
  /** Everything the server logged, one JSON line each. */
  logs: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Runs on the app before it listens, e.g. to add a route that throws. */
  extend?: (app: FastifyInstance) => void | Promise<void>;
  /** Extra route plugins under `/{cenv}` (behind the cenv scope: resolution, auth, CSRF, access). */
  cenvRoutes?: CenvRoutePlugin[];
  /** Sees every route as it is added. */
  onRoute?: (route: RouteOptions) => void;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = tempDir();
  const config = loadConfig({ WCE_DATA_DIR: dataDir, WCE_BCRYPT_COST: '4', WCE_LOG_LEVEL: 'info', WCE_LOGIN_MAX_FAILURES: '0', ...NO_RATE_LIMITS, ...options.env });
  const logs: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const log = createLogger(config.logLevel, stream);
  const deps = createDeps(config, log);
  // Every JSON reply is checked against its route's response schema: the suite keeps /openapi.json honest.
  const app = await buildApp(deps, log, { cenvRoutes: options.cenvRoutes, checkResponses: true, onRoute: options.onRoute });
  await options.extend?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`, app, deps, dataDir, logs,
    async close() {
      await app.close();
      await closeDeps(deps);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  dataDir: string;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Runs the real entry point (`bin/wce.mjs serve`) on a random port. */
export async function spawnServer(env: Record<string, string> = {}): Promise<SpawnedServer> {
  const dataDir = env.WCE_DATA_DIR ?? tempDir();
  // The port is chosen here, not by the server (WCE_PORT=0), so its address is known at any
  // log level: at warn the server prints no "listening" line to read it from.
  const port = env.WCE_PORT ?? String(await freePort());
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/wce.mjs'), 'serve'], {
    env: { PATH: process.env.PATH, WCE_DATA_DIR: dataDir, WCE_HOST: '127.0.0.1', WCE_BCRYPT_COST: '4', ...NO_RATE_LIMITS, ...env, WCE_PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // Ready when /health answers (the server listens only once everything is set up).
  await Promise.race([
    waitForHttp(`${url}/health`, 60_000, 200),
    exited.then((code) => { throw new Error(`server exited with ${code}: ${output}`); }),
  ]);
  return { url, child, dataDir, output: () => output, exited };
}

export interface JsonResponse<T = any> { status: number; headers: Headers; body: T }

/** fetch with a JSON body and a parsed JSON answer. */
export async function request<T = any>(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(init.body);
  }
  const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  let parsed: any = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
  return { status: response.status, headers: response.headers, body: parsed };
}

export interface NewCenv { id: string; name?: string; username: string; password: string }

let counter = 0;
/** Creates a cenv over HTTP and returns its id and owner credentials. */
export async function createCenv(url: string, options: { name?: string; username?: string; password?: string } = {}): Promise<NewCenv> {
  const username = options.username ?? `owner${++counter}`;
  const password = options.password ?? 'correct horse battery';
  const response = await request(`${url}/new`, { body: { username, password, ...(options.name ? { name: options.name } : {}) } });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.cenv_id, name: options.name, username, password };
}

export interface LoggedIn { token: string; csrf: string; cookie: string; userId: string; role: string }

/** Logs in and returns the bearer token, CSRF token and the Cookie header to replay. */
export async function login(url: string, cenv: string, username: string, password: string): Promise<LoggedIn> {
  const response = await request(`${url}/${cenv}/login`, { body: { username, password } });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { token: response.body.token, csrf: response.body.csrf_token, cookie, userId: response.body.user.id, role: response.body.user.role };
}

/** Authorization header for a token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/**
 * Every audit row of a cenv, oldest first, read straight from its file (as an operator would,
 * with no API in between).
 * @example auditRows(server, cenv.id).filter((row) => row.action === 'login_failed')
 */
export function auditRows(server: TestServer, cenvId: string): Array<Record<string, unknown>> {
  const db = new DatabaseSync(`${server.dataDir}/${cenvId}.db`, { readOnly: true });
  try {
    return db.prepare('SELECT * FROM _wce_audit_log ORDER BY id').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}
