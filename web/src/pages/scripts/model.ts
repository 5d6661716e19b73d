/**
 * The script editor's data: endpoints and modules as the admin API shapes them
 * (docs/endpoints.md, "Admin API"), one key per item (`e:3`, `m:lib/util.star`), the paths
 * of each item's API, and where a syntax error belongs.
 */
import { ApiError } from '../../lib/api.ts';
import { cenvPath } from '../../lib/boot.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
export const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'];
export type Access = 'public' | 'user' | 'admin';
export type RunAs = 'caller' | 'owner';

export interface EndpointInfo { id: number; method: Method; path: string; access: Access; run_as: RunAs; enabled: boolean; version: number; updated_at: string }
export interface Endpoint extends EndpointInfo { source: string; created_at: string; created_by: string | null; updated_by: string | null }
export interface ModuleInfo { name: string; version: number; size: number; updated_at: string }
export interface ScriptModule extends ModuleInfo { source: string }

export interface RunError { code: string; message: string; line?: number; column?: number; backtrace?: string | null; cause?: string }
export interface TestResult {
  status: number; headers: Record<string, string>; body: string | null; logs: string[];
  duration_ms: number; steps: number; error?: RunError;
}
export interface Run {
  at: string; request_id: string; method: string; path: string; status: number; duration_ms: number; steps: number;
  version: number | null; user: string | null; logs: string[]; error: RunError | null;
}

export type Item = { kind: 'endpoint'; key: string; endpoint: Endpoint } | { kind: 'module'; key: string; module: ScriptModule };

export function endpointKey(id: number): string {
  return `e:${id}`;
}

export function moduleKey(name: string): string {
  return `m:${name}`;
}

/** A module name as a URL path (its slashes stay). */
export function modulePath(name: string): string {
  return `/admin/modules/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** The admin API path of an item: `/admin/endpoints/3` or `/admin/modules/lib/x.star`. */
export function itemPath(key: string): string {
  return key.startsWith('e:') ? `/admin/endpoints/${key.slice(2)}` : modulePath(key.slice(2));
}

export function sourceOf(item: Item): string {
  return item.kind === 'endpoint' ? item.endpoint.source : item.module.source;
}

export function versionOf(item: Item): number {
  return item.kind === 'endpoint' ? item.endpoint.version : item.module.version;
}

export function titleOf(item: Item): string {
  return item.kind === 'endpoint' ? `${item.endpoint.method} ${item.endpoint.path}` : item.module.name;
}

export interface Problem { line: number; column: number; message: string }

/** The syntax errors of a 400 `WCE_ERR_SCRIPT_SYNTAX` (each with its line and column), or null for other errors. */
export function problemsOf(error: unknown): Problem[] | null {
  if (!(error instanceof ApiError) || error.code !== 'WCE_ERR_SCRIPT_SYNTAX') return null;
  const details = error.details as { line?: number; column?: number; errors?: Problem[] } | undefined;
  if (details?.errors?.length) return details.errors;
  if (details?.line) return [{ line: details.line, column: details.column ?? 1, message: error.message }];
  return [{ line: 1, column: 1, message: error.message }];
}

/** A path to try a pattern with: `/posts/:id` → `/posts/1`, `/files/*rest` → `/files/a`. */
export function samplePath(pattern: string): string {
  return pattern.replace(/:[A-Za-z_]\w*/g, '1').replace(/\*[A-Za-z_]\w*/g, 'a');
}

/** `a=1&b=two` → {a: "1", b: "two"} (first value of a repeated key, as the server does). */
export function parseQuery(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text.replace(/^\?/, ''))) if (!(key in out)) out[key] = value;
  return out;
}

/** The item the page's URL names (`?endpoint=3`, `?module=lib/util.star`). */
export function keyFromUrl(): string | null {
  const query = new URLSearchParams(location.search);
  const endpoint = query.get('endpoint');
  if (endpoint && /^\d+$/.test(endpoint)) return endpointKey(Number(endpoint));
  const module = query.get('module');
  return module ? moduleKey(module) : null;
}

/** The query string that names an item, for the address bar. */
export function urlFor(key: string): string {
  return key.startsWith('e:') ? `?endpoint=${key.slice(2)}` : `?module=${encodeURIComponent(key.slice(2))}`;
}

/** Where an endpoint path is served, for the "call it" hints. */
export function apiUrl(path: string): string {
  return `${location.origin}${cenvPath(`/api${path === '/' ? '' : path}`)}${path === '/' ? '/' : ''}`;
}
