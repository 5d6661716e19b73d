/**
 * Server configuration: built-in defaults overridden by environment variables. Per-cenv
 * settings (time limits, row and size caps, …) are listed in src/cenv/settings.ts with the
 * variables that set their server-wide value; `settings` here holds that side, read once.
 *
 * @example
 *   const config = loadConfig(process.env); // throws ConfigError on a bad value
 */
import path from 'node:path';
import { ceilingOf, serverSettings, SettingEnvError, type ServerSettings } from './cenv/settings.ts';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  allowNewCenvs: boolean;
  /** HS256 key from WCE_JWT_SECRET; null means "use the key file in the data directory". */
  jwtSecret: Uint8Array | null;
  cookieSecure: boolean;
  bcryptCost: number;
  /** Idle connection pools are closed after this long. */
  poolIdleMs: number;
  /** At most this many cenvs keep connections open at once (LRU). */
  maxOpenCenvs: number;
  /** Connections per cenv in the main process: the ceiling of `connections_per_cenv`. */
  connectionsPerCenv: number;
  /** How long a request may wait for one of its cenv's connections before a 503. */
  connectionWaitMs: number;
  sessionCleanupMs: number;
  /** Body limit of routes outside a cenv (the server's `body_limit_bytes`). */
  bodyLimitBytes: number;
  logLevel: string;
  /** A file that receives the JSON log lines too (reopened on SIGHUP); null: stdout only. */
  logFile: string | null;
  /** How often audit entries past `audit_retention_days` are deleted. */
  auditCleanupMs: number;
  /** The window of the per-minute rate limits (tests shorten it; production keeps a minute). */
  rateLimitWindowMs: number;
  /**
   * Fastify's trustProxy: false (default: the socket's address is the client), true, or a
   * list of proxy addresses/CIDRs whose X-Forwarded-* headers are believed.
   */
  trustProxy: boolean | string[];
  /** Failed logins per IP and cenv before further attempts get 429 (0 turns this off). */
  loginMaxFailures: number;
  loginWindowMs: number;
  /** Cenvs one client address may create per hour (0: no limit). */
  newCenvsPerHour: number;
  /** How long a request (headers and body) may take to arrive, and an idle keep-alive connection may stay. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** The server's public origin (`https://wce.example.com`) for URLs in replies; null: from the request. */
  publicUrl: string | null;
  /** Bearer token for the operator's endpoints (GET /metrics, /cluster); null: loopback callers only. */
  metricsToken: string | null;
  /** The environment's side of every per-cenv setting. */
  settings: ServerSettings;
  /** Sandbox child processes that run tenant work. */
  sandboxProcesses: number;
  /** Memory budget of one sandbox child, in MB. */
  sandboxMemoryMb: number;
}

/** A configuration value that cannot be used; the message says which variable and why. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function jwtSecret(env: Env): Uint8Array | null {
  const raw = env.WCE_JWT_SECRET;
  if (raw === undefined || raw === '') return null;
  const bytes = new TextEncoder().encode(raw);
  // HS256 with a short key is brute-forceable; refusing to start is the only safe answer.
  if (bytes.length < 32) throw new ConfigError(`WCE_JWT_SECRET must be at least 32 bytes, got ${bytes.length}`);
  return bytes;
}

function trustProxy(env: Env): boolean | string[] {
  const raw = env.WCE_TRUST_PROXY?.trim() ?? '';
  if (raw === '' || /^(false|0|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  const list = raw.split(',').map((item) => item.trim()).filter(Boolean);
  if (list.some((item) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(item))) {
    throw new ConfigError(`WCE_TRUST_PROXY must be true, false or a comma-separated list of addresses/CIDRs, got "${raw}"`);
  }
  return list;
}

function publicUrl(env: Env): string | null {
  const raw = env.WCE_PUBLIC_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`WCE_PUBLIC_URL must be a URL like https://wce.example.com, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(`WCE_PUBLIC_URL must be an http(s) origin without a path, like https://wce.example.com, got "${raw}"`);
  }
  return url.origin;
}

function metricsToken(env: Env): string | null {
  const raw = env.WCE_METRICS_TOKEN;
  if (raw === undefined || raw === '') return null;
  // A guessable token would expose the server's traffic figures to anyone who tries.
  if (raw.length < 16) throw new ConfigError(`WCE_METRICS_TOKEN must be at least 16 characters, got ${raw.length}`);
  return raw;
}

function settings(env: Env): ServerSettings {
  try {
    return serverSettings(env);
  } catch (error) {
    if (error instanceof SettingEnvError) throw new ConfigError(error.message);
    throw error;
  }
}

/** Reads the configuration from an environment (normally `process.env`). */
export function loadConfig(env: Env): Config {
  const server = settings(env);
  return {
    host: env.WCE_HOST || '0.0.0.0',
    port: integer(env, 'WCE_PORT', 5309, 0, 65535),
    dataDir: path.resolve(env.WCE_DATA_DIR || './cenvs'),
    allowNewCenvs: boolean(env, 'ALLOW_NEW_CENVS', true),
    jwtSecret: jwtSecret(env),
    cookieSecure: boolean(env, 'WCE_COOKIE_SECURE', false),
    bcryptCost: integer(env, 'WCE_BCRYPT_COST', 12, 4, 16),
    poolIdleMs: integer(env, 'WCE_POOL_IDLE_MS', 30 * 60_000, 1, 7 * 24 * 3600_000),
    maxOpenCenvs: integer(env, 'WCE_MAX_OPEN_CENVS', 200, 1, 100_000),
    connectionsPerCenv: ceilingOf('connections_per_cenv', server),
    connectionWaitMs: integer(env, 'WCE_CONNECTION_WAIT_MS', 10_000, 10, 600_000),
    sessionCleanupMs: integer(env, 'WCE_SESSION_CLEANUP_MS', 15 * 60_000, 1000, 24 * 3600_000),
    bodyLimitBytes: server.body_limit_bytes.value as number,
    logLevel: env.WCE_LOG_LEVEL || 'info',
    logFile: env.WCE_LOG_FILE ? path.resolve(env.WCE_LOG_FILE) : null,
    metricsToken: metricsToken(env),
    auditCleanupMs: integer(env, 'WCE_AUDIT_CLEANUP_MS', 3600_000, 1000, 7 * 24 * 3600_000),
    rateLimitWindowMs: integer(env, 'WCE_RATE_LIMIT_WINDOW_MS', 60_000, 100, 3600_000),
    trustProxy: trustProxy(env),
    loginMaxFailures: integer(env, 'WCE_LOGIN_MAX_FAILURES', 10, 0, 1_000_000),
    loginWindowMs: integer(env, 'WCE_LOGIN_WINDOW_MS', 10 * 60_000, 1000, 24 * 3600_000),
    newCenvsPerHour: integer(env, 'WCE_NEW_CENVS_PER_HOUR', 20, 0, 1_000_000),
    requestTimeoutMs: integer(env, 'WCE_REQUEST_TIMEOUT_MS', 30_000, 1000, 3600_000),
    headersTimeoutMs: integer(env, 'WCE_HEADERS_TIMEOUT_MS', 10_000, 1000, 3600_000),
    keepAliveTimeoutMs: integer(env, 'WCE_KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 3600_000),
    publicUrl: publicUrl(env),
    settings: server,
    sandboxProcesses: integer(env, 'WCE_SANDBOX_PROCESSES', 2, 1, 256),
    sandboxMemoryMb: integer(env, 'WCE_SANDBOX_MEMORY_MB', 512, 64, 64 * 1024),
  };
}
