/**
 * Every per-cenv setting in one list: its type, bounds, default, and how the environment
 * applies to it. A key's environment variable is either the server-wide **default** (a cenv
 * may set any value within the bounds) or a **ceiling** (it is also the highest value a cenv
 * may set: body size, time limits, database size, queue caps — what protects the server and
 * the other tenants). `_wce_config` holds a cenv's overrides; `resolveSettings` turns rows +
 * environment into the values in force, and `settingProblem` is the one validator the admin
 * API and the readers share.
 *
 * Adding a setting: add an entry here; nothing else reads `_wce_config` directly.
 *
 * @example
 *   const server = serverSettings(process.env);          // environment values, checked once
 *   const s = resolveSettings(rows, server);             // what a cenv runs with
 *   s.sql_timeout_ms                                     // 30000 unless overridden
 */

import { originProblem } from './origins.ts';

export interface IntegerSetting {
  type: 'integer';
  min: number;
  max: number;
  default: number;
  /** Environment variable that sets the server-wide value, and whether it is also the ceiling. */
  env?: { name: string; role: 'default' | 'ceiling' };
  /** 0 means "no limit" (so it ranks above every other value when compared with a ceiling). */
  zeroIsUnlimited?: true;
  description: string;
}

export interface OriginsSetting {
  type: 'origins';
  default: readonly string[];
  env?: undefined;
  description: string;
}

export type SettingSpec = IntegerSetting | OriginsSetting;

/** The registry. Order is the order the admin API lists them in. */
export const SETTINGS = {
  session_timeout_hours: {
    type: 'integer', min: 1, max: 24 * 366, default: 24,
    description: 'hours a login session lasts',
  },
  max_sessions_per_user: {
    type: 'integer', min: 1, max: 1000, default: 20, env: { name: 'WCE_MAX_SESSIONS_PER_USER', role: 'default' },
    description: 'active sessions one user may hold; a new login revokes the oldest past this',
  },
  sql_timeout_ms: {
    type: 'integer', min: 10, max: 3600_000, default: 30_000, env: { name: 'WCE_SQL_TIMEOUT_MS', role: 'ceiling' },
    description: 'time limit of one SQL API request',
  },
  max_rows: {
    type: 'integer', min: 1, max: 1_000_000, default: 1000, env: { name: 'WCE_MAX_ROWS', role: 'default' },
    description: 'rows one SQL result may hold (more are cut and marked truncated)',
  },
  max_db_bytes: {
    type: 'integer', min: 64 * 1024, max: 1024 ** 4, default: 100 * 1024 * 1024, env: { name: 'WCE_MAX_DB_BYTES', role: 'ceiling' },
    description: 'largest size of the cenv file in bytes',
  },
  starlark_timeout_ms: {
    type: 'integer', min: 10, max: 600_000, default: 5000, env: { name: 'WCE_STARLARK_TIMEOUT_MS', role: 'ceiling' },
    description: 'time limit of one endpoint run',
  },
  starlark_max_steps: {
    type: 'integer', min: 1000, max: 1_000_000_000, default: 50_000_000, env: { name: 'WCE_STARLARK_MAX_STEPS', role: 'ceiling' },
    description: 'step budget of one endpoint run (about one step per loop iteration or call)',
  },
  starlark_allow_while: {
    type: 'integer', min: 0, max: 1, default: 0,
    description: '1 allows while loops in endpoint scripts (the time limit and step budget still stop a runaway)',
  },
  starlark_allow_recursion: {
    type: 'integer', min: 0, max: 1, default: 0,
    description: '1 allows recursive calls in endpoint scripts (depth is capped at 1000 calls)',
  },
  render_timeout_ms: {
    type: 'integer', min: 10, max: 600_000, default: 5000, env: { name: 'WCE_RENDER_TIMEOUT_MS', role: 'ceiling' },
    description: 'time limit of one page render',
  },
  page_max_bytes: {
    type: 'integer', min: 1024, max: 32 * 1024 * 1024, default: 4 * 1024 * 1024, env: { name: 'WCE_PAGE_MAX_BYTES', role: 'ceiling' },
    description: 'largest rendered page in bytes (a bigger render fails and the last good page stays)',
  },
  page_cache_max_entries: {
    type: 'integer', min: 1, max: 1_000_000, default: 10_000, env: { name: 'WCE_PAGE_CACHE_MAX_ENTRIES', role: 'ceiling' },
    description: 'rendered pages kept in the page cache (past this, the least recently rendered are dropped)',
  },
  sandbox_max_jobs_per_cenv: {
    type: 'integer', min: 1, max: 100_000, default: 64, env: { name: 'WCE_SANDBOX_MAX_JOBS_PER_CENV', role: 'ceiling' },
    description: 'requests of this cenv running or waiting in the sandbox at once (more get 503)',
  },
  sandbox_max_jobs_per_ip: {
    type: 'integer', min: 1, max: 100_000, default: 8, env: { name: 'WCE_SANDBOX_MAX_JOBS_PER_IP', role: 'ceiling' },
    description: 'requests of one anonymous address running or waiting in the sandbox for this cenv (more get 429)',
  },
  events_max_subscribers_per_cenv: {
    type: 'integer', min: 1, max: 100_000, default: 2000, env: { name: 'WCE_EVENTS_MAX_SUBSCRIBERS_PER_CENV', role: 'ceiling' },
    description: 'event streams open on this cenv at once (more get 429)',
  },
  events_max_subscribers_per_user: {
    type: 'integer', min: 1, max: 1000, default: 10, env: { name: 'WCE_EVENTS_MAX_SUBSCRIBERS_PER_USER', role: 'ceiling' },
    description: 'event streams one user (or anonymous address) may hold open on this cenv',
  },
  connections_per_cenv: {
    type: 'integer', min: 1, max: 64, default: 5, env: { name: 'WCE_CONNECTIONS_PER_CENV', role: 'ceiling' },
    description: 'SQLite connections this cenv may hold at once in the server process, and sandbox processes its work may occupy at once',
  },
  body_limit_bytes: {
    type: 'integer', min: 1024, max: 64 * 1024 * 1024, default: 1024 * 1024, env: { name: 'WCE_BODY_LIMIT_BYTES', role: 'ceiling' },
    description: 'largest request body this cenv accepts, in bytes (413 past it; imports have max_import_bytes)',
  },
  max_import_bytes: {
    type: 'integer', min: 64 * 1024, max: 1024 ** 4, default: 100 * 1024 * 1024, env: { name: 'WCE_MAX_IMPORT_BYTES', role: 'ceiling' },
    description: 'largest file POST /admin/import accepts, in bytes',
  },
  rate_limit_ip_per_min: {
    type: 'integer', min: 0, max: 1_000_000, default: 100, zeroIsUnlimited: true, env: { name: 'WCE_RATE_LIMIT_IP_PER_MIN', role: 'ceiling' },
    description: 'requests per minute one address may send to this cenv without signing in (0: no limit)',
  },
  rate_limit_user_per_min: {
    type: 'integer', min: 0, max: 1_000_000, default: 600, zeroIsUnlimited: true, env: { name: 'WCE_RATE_LIMIT_USER_PER_MIN', role: 'ceiling' },
    description: 'requests per minute one signed-in user of this cenv may send (0: no limit)',
  },
  rate_limit_cenv_per_min: {
    type: 'integer', min: 0, max: 10_000_000, default: 6000, zeroIsUnlimited: true, env: { name: 'WCE_RATE_LIMIT_CENV_PER_MIN', role: 'ceiling' },
    description: 'requests per minute this cenv accepts from everyone together (0: no limit)',
  },
  cors_allowed_origins: {
    type: 'origins', default: [],
    description: 'web origins (https://app.example.com) whose pages may call this cenv\'s API, endpoints and pages, with credentials',
  },
  audit_retention_days: {
    type: 'integer', min: 0, max: 36_500, default: 90, zeroIsUnlimited: true, env: { name: 'WCE_AUDIT_RETENTION_DAYS', role: 'default' },
    description: 'days audit log entries are kept before a background sweep deletes them (0: keep forever)',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
type ValueOf<S> = S extends { type: 'integer' } ? number : S extends { type: 'origins' } ? readonly string[] : never;
/** The values in force for one cenv, one field per key. */
export type Settings = { readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };
export type SettingValue = number | readonly string[];

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** Where a value in force came from. */
export type SettingSource = 'default' | 'env' | 'cenv';

/** The server's side of every key: the environment's value (or the built-in default) and the ceiling. */
export interface ServerSetting { value: SettingValue; source: 'default' | 'env'; ceiling: number | null }
export type ServerSettings = { readonly [K in SettingKey]: ServerSetting };

/** A setting value from the environment that cannot be used; names the variable. */
export class SettingEnvError extends Error {
  override name = 'SettingEnvError';
}

/** The spec of `key` (typed as the union, for code that handles every kind). */
export function settingSpec(key: SettingKey): SettingSpec {
  return SETTINGS[key] as SettingSpec;
}

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/** Orders values of keys where 0 means "no limit": 0 ranks above everything. */
function rank(s: IntegerSetting, value: number): number {
  return s.zeroIsUnlimited && value === 0 ? Infinity : value;
}

/**
 * The values a cenv may set for an integer key on this server: `min`..`max`, where `max` is
 * the environment's ceiling when it sets one. For a key where 0 means "no limit", 0 is
 * allowed only when the ceiling is "no limit" too (a cenv may lower a limit, never lift it).
 * @example integerRange('sql_timeout_ms', serverSettings({ WCE_SQL_TIMEOUT_MS: '5000' })) // { min: 10, max: 5000, ceiling: true }
 */
export function integerRange(key: SettingKey, server: ServerSettings): { min: number; max: number; ceiling: boolean } {
  const s = settingSpec(key) as IntegerSetting;
  const ceiling = server[key].ceiling;
  if (ceiling === null) return { min: s.min, max: s.max, ceiling: false };
  if (rank(s, ceiling) === Infinity) return { min: s.min, max: s.max, ceiling: true };
  return { min: s.zeroIsUnlimited ? Math.max(1, s.min) : s.min, max: ceiling, ceiling: true };
}

/**
 * Why `value` cannot be stored for `key` on this server, or null. `server` supplies the
 * ceilings the environment set.
 * @example settingProblem('max_rows', 0, server) // 'max_rows must be a whole number from 1 to 1000000'
 */
export function settingProblem(key: string, value: unknown, server: ServerSettings): string | null {
  if (!isSettingKey(key)) return `unknown setting "${key.slice(0, 64)}"`;
  const s = settingSpec(key);
  if (s.type === 'integer') {
    const { min, max, ceiling } = integerRange(key, server);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      const limit = ceiling && max < s.max ? ` (this server's ceiling, ${s.env?.name})` : '';
      const off = s.zeroIsUnlimited && min === 0 ? ' (0: no limit)' : '';
      return `${key} must be a whole number from ${min}${off} to ${max}${limit}`;
    }
    return null;
  }
  if (!Array.isArray(value) || value.length > 50 || !value.every((o) => typeof o === 'string' && originProblem(o) === null)) {
    const bad = Array.isArray(value) ? value.find((o) => typeof o !== 'string' || originProblem(o) !== null) : undefined;
    return `${key} must be a list of at most 50 origins like "https://app.example.com"` +
      (typeof bad === 'string' ? `: ${originProblem(bad)}` : '');
  }
  return null;
}

/**
 * Reads the environment's side of every key once, at start; a bad value stops the server
 * with a message naming the variable.
 * @example serverSettings({ WCE_SQL_TIMEOUT_MS: '5000' }).sql_timeout_ms // { value: 5000, source: 'env', ceiling: 5000 }
 */
export function serverSettings(env: Record<string, string | undefined>): ServerSettings {
  const out = {} as Record<SettingKey, ServerSetting>;
  for (const key of SETTING_KEYS) {
    const s = settingSpec(key);
    if (s.type !== 'integer' || !s.env) {
      out[key] = { value: s.default, source: 'default', ceiling: null };
      continue;
    }
    const raw = env[s.env.name]?.trim();
    if (raw === undefined || raw === '') {
      // Fail closed: without the operator's variable a ceiling is the default itself, so no
      // cenv can raise its own time limits, sizes or rate limits beyond what the server chose.
      out[key] = { value: s.default, source: 'default', ceiling: s.env.role === 'ceiling' ? s.default : null };
      continue;
    }
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < s.min || value > s.max) {
      throw new SettingEnvError(`${s.env.name} must be a whole number from ${s.min} to ${s.max}, got "${raw}"`);
    }
    out[key] = { value, source: 'env', ceiling: s.env.role === 'ceiling' ? value : null };
  }
  return out;
}

/**
 * The highest value a cenv may set for an integer key: its ceiling (the environment's value,
 * or the default when the variable is unset), else — for keys without one — the key's own
 * maximum (0 for "no limit" where 0 means that).
 * @example ceilingOf('body_limit_bytes', server) // what a route's hard body limit must allow
 */
export function ceilingOf(key: SettingKey, server: ServerSettings): number {
  const s = settingSpec(key) as IntegerSetting;
  const ceiling = server[key].ceiling;
  if (ceiling !== null) return ceiling;
  return s.zeroIsUnlimited ? 0 : s.max;
}

/** One stored override, as `_wce_config` holds it (values are JSON text). */
export interface ConfigRow { key: string; value: string }

/** Decodes a stored value; a value that no longer passes (bounds changed) is ignored, never trusted. */
export function storedValue(row: ConfigRow, server: ServerSettings): SettingValue | undefined {
  let value: unknown;
  try {
    value = JSON.parse(row.value);
  } catch {
    return undefined;
  }
  return settingProblem(row.key, value, server) === null ? (value as SettingValue) : undefined;
}

/**
 * The values in force for one cenv: its stored overrides on top of the server's values.
 * @example resolveSettings([{ key: 'max_rows', value: '50' }], server).max_rows // 50
 */
export function resolveSettings(rows: readonly ConfigRow[], server: ServerSettings): Settings {
  const out = {} as Record<SettingKey, SettingValue>;
  for (const key of SETTING_KEYS) out[key] = server[key].value;
  for (const row of rows) {
    if (!isSettingKey(row.key)) continue;
    const value = storedValue(row, server);
    if (value !== undefined) out[row.key] = value;
  }
  return Object.freeze(out) as Settings;
}
