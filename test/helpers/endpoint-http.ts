/**
 * Endpoints over real HTTP: the admin world (owner, admin "adam", user "ursula", a second cenv,
 * a `posts` table) plus saving an endpoint, calling `/{cenv}/api/…` as someone, and setting a
 * cenv setting the way the settings API does (row + cache invalidation).
 */
import assert from 'node:assert/strict';
import { adminWorld, type AdminWorld } from '../security/http-helpers.ts';
import { bearer, request, type JsonResponse, type LoggedIn } from './server.ts';

export interface EndpointDef { method?: string; path: string; source: string; access?: string; run_as?: string; enabled?: boolean }

export interface EndpointWorld extends AdminWorld {
  /** Saves an endpoint as the owner (201 asserted) and returns it. */
  save(def: EndpointDef, who?: LoggedIn): Promise<{ id: number; version: number; path: string }>;
  /** Calls `/{cenv}/api{path}` with a bearer token (or none); `raw` sends a body as it is. */
  api<T = any>(who: LoggedIn | null, method: string, path: string, init?: { body?: unknown; raw?: string; headers?: Record<string, string>; cenv?: string }): Promise<JsonResponse<T>>;
  setting(key: string, value: number): Promise<void>;
}

/** A handler body indented under `def handle(req):`. */
export function handler(body: string): string {
  return `def handle(req):\n${body.split('\n').map((line) => `    ${line}`).join('\n')}\n`;
}

export async function endpointWorld(env: Record<string, string> = {}): Promise<EndpointWorld> {
  const w = await adminWorld(env);
  return {
    ...w,
    async save(def, who = w.owner) {
      const res = await w.call(who, 'POST', '/admin/endpoints', { method: 'GET', access: 'public', ...def });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    },
    api(who, method, path, init = {}) {
      const headers = { ...(who ? bearer(who.token) : {}), ...init.headers };
      const raw = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
      if (init.body !== undefined) headers['content-type'] ??= 'application/json';
      return request(`${w.server.url}/${init.cenv ?? w.cenv.id}/api${path}`, { method, headers, raw });
    },
    async setting(key, value) {
      await w.server.deps.pools.use(w.cenv.id, (db) => db.prepare(`INSERT INTO _wce_config (key, value, updated_at) VALUES (?, ?, '')
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, JSON.stringify(value)));
      w.server.deps.settings.invalidate(w.cenv.id);
    },
  };
}
