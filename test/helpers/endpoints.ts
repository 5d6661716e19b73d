/**
 * Running endpoint scripts the way a sandbox child does, without the pool: a guarded tenant
 * connection, a per-cenv cache and an OpContext, plus a plain connection to save endpoints
 * and modules with. For src/endpoints' unit tests.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Principal } from '../../src/auth/principal.ts';
import { resolveSettings, type Settings } from '../../src/cenv/settings.ts';
import { openDatabase } from '../../src/cenv/open.ts';
import type { TenantConnection } from '../../src/db/connection.ts';
import { runEndpoint } from '../../src/endpoints/run.ts';
import { createEndpoint } from '../../src/endpoints/store.ts';
import { CenvCache } from '../../src/sandbox/cenv-cache.ts';
import type { ReplyOf, ScriptRequest } from '../../src/sandbox/protocol.ts';
import { connect, DEFAULT_SERVER, OWNER, tempCenv } from './tenant.ts';

export interface ScriptWorld {
  conn: TenantConnection;
  /** A plain connection (no guard), as the admin API has. */
  admin: DatabaseSync;
  cache: CenvCache;
  /** Saves an endpoint (GET /t/{n}, public) and returns its id and version. */
  save(source: string): { id: number; version: number };
  /** Runs a saved endpoint or unsaved source. */
  run(what: { id: number; version: number } | string, options?: RunOptions): ReplyOf<'endpoint'>;
  close(): void;
}

export interface RunOptions {
  principal?: Principal;
  request?: Partial<ScriptRequest>;
  settings?: Partial<Record<keyof Settings, number>>;
  timeoutMs?: number;
}

export function request(overrides: Partial<ScriptRequest> = {}): ScriptRequest {
  return { method: 'GET', path: '/t', params: {}, query: {}, headers: {}, body: '', user: null, ...overrides };
}

/** A temp cenv (`setup` SQL run on it) ready to run scripts in. */
export function scriptWorld(setup = ''): ScriptWorld {
  const cenv = tempCenv(setup);
  const conn = connect(cenv.file);
  const admin = openDatabase(cenv.file);
  const cache = new CenvCache();
  let n = 0;
  return {
    conn, admin, cache,
    save(source) {
      const e = createEndpoint(admin, { method: 'GET', path: `/t/${++n}`, source, access: 'public', run_as: 'caller', enabled: true },
        { userId: null, username: 'owner', role: 'owner' }, { allowSet: true, allowWhile: true, allowRecursion: true });
      return { id: e.id, version: e.version };
    },
    run(what, options = {}) {
      // As the child runtime does: start the request (settings re-read, connection state cleared).
      const base = conn.beginRequest();
      const settings: Settings = { ...base, starlark_allow_while: 1, starlark_allow_recursion: 1, ...options.settings } as Settings;
      const timeoutMs = options.timeoutMs ?? settings.starlark_timeout_ms;
      const payload = typeof what === 'string'
        ? { test: { source: what }, request: request(options.request) }
        : { endpoint: what, request: request(options.request) };
      return runEndpoint({
        conn, cache, principal: options.principal ?? OWNER, context: { requestId: 'test' }, settings,
        deadline: Date.now() + timeoutMs, timeoutMs, log: () => {},
      }, payload);
    },
    close() {
      conn.close();
      admin.close();
      cenv.cleanup();
    },
  };
}

/** Settings with nothing overridden, for tests that need a value. */
export const DEFAULT_SETTINGS: Settings = resolveSettings([], DEFAULT_SERVER);
