/**
 * The JSON API as the pages use it: the session cookie goes along by itself; every
 * state-changing request echoes the CSRF token from the readable `wce_csrf` cookie in the
 * `x-csrf-token` header. Errors become `ApiError` with the server's code and message (one
 * shape for all of them), and a 401 — the session ended or expired — sends the person to
 * the login page, which brings them back here afterwards.
 */
import { cenvPath } from './boot.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface ApiInit {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Handle a 401 yourself (the login form) instead of going to the login page. */
  allow401?: boolean;
}

/** The value of a cookie readable by script (only `wce_csrf` is). */
export function cookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** The login page for this cenv, coming back to where the person is now. */
export function loginUrl(expired: boolean): string {
  const next = location.pathname + location.search;
  return cenvPath(`/login?next=${encodeURIComponent(next)}${expired ? '&expired=1' : ''}`);
}

/**
 * Calls `url` (absolute path) and returns the parsed JSON reply.
 * @example const { users } = await request<{ users: User[] }>(cenvPath('/admin/users'));
 */
export async function request<T>(url: string, init: ApiInit = {}): Promise<T> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = cookie('wce_csrf');
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal, credentials: 'same-origin' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check that WCE is running and your connection, then try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
  if (response.ok) return json as T;
  if (response.status === 401 && !init.allow401) {
    location.assign(loginUrl(true));
    return new Promise<T>(() => {});
  }
  const error = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
  throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `The server answered ${response.status} ${response.statusText}.`, error?.details);
}

/** `request` for a path under this cenv. */
export function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  return request<T>(cenvPath(path), init);
}

/** Ends the session and goes to the login page. */
export async function logout(): Promise<void> {
  try {
    await api('/logout', { method: 'POST', allow401: true });
  } catch { /* already ended: the login page is where we go either way */ }
  location.assign(cenvPath('/login'));
}
