/**
 * The CLI's HTTP client: which server and cenv a command talks to, with which token, and the
 * one way a failure reaches the person at the terminal — a `CliError` whose message says what
 * went wrong and what to do, and whose exit code says what kind of failure it was.
 *
 * Target, first match wins: `--server` / `--cenv` flags, `WCE_SERVER` / `WCE_CENV`, the last
 * `wce login`, and for the server `http://localhost:5309`. Token: `WCE_TOKEN`, else the one
 * `wce login` kept for that server and cenv.
 *
 * @example
 *   const client = Client.forCenv(values);
 *   const result = await client.json('POST', '/sql', { sql: 'SELECT 1' });
 */
import { currentTarget, findLogin, forgetLogin, serverKey } from './credentials.ts';

/** Exit codes: documented in `wce --help`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, auth: 3, unreachable: 4 } as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.failed) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A command line that cannot be run as written (exit 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

export const DEFAULT_SERVER = 'http://localhost:5309';

export interface TargetFlags { server?: string; cenv?: string }

/** The server a command talks to. */
export function serverOf(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flags.server ?? env.WCE_SERVER ?? currentTarget()?.server ?? DEFAULT_SERVER;
  const withScheme = /^https?:\/\//.test(raw) ? raw : `http://${raw}`;
  try {
    return serverKey(new URL(withScheme).href);
  } catch {
    throw new UsageError(`--server must be a URL like http://localhost:5309, got "${raw}"`);
  }
}

/** The cenv a command works on; a UsageError saying how to name one when there is none. */
export function cenvOf(flags: TargetFlags, server: string, env: NodeJS.ProcessEnv = process.env): string {
  const current = currentTarget();
  const cenv = flags.cenv ?? env.WCE_CENV ?? (current && current.server === server ? current.cenv : undefined);
  if (!cenv) throw new UsageError('which cenv? Log in first (wce login CENV), or give --cenv NAME (or set WCE_CENV)');
  return cenv;
}

interface ErrorBody { error?: { code?: string; message?: string; details?: Record<string, unknown> } }

/** What a failed answer says, as one line (with the position of a syntax error). */
function describe(status: number, body: ErrorBody | null, text: string): string {
  const error = body?.error;
  if (!error?.message) return `the server answered ${status}: ${text.slice(0, 300) || '(no body)'}`;
  const at = typeof error.details?.line === 'number' && !/\bline\b/.test(error.message) ? ` (line ${error.details.line}${typeof error.details.column === 'number' ? `, column ${error.details.column}` : ''})` : '';
  return `${error.message}${at} [${status} ${error.code ?? ''}]`.replace(/ \]$/, ']');
}

export class Client {
  readonly server: string;
  readonly cenv: string | null;
  private readonly token: string | null;

  constructor(server: string, cenv: string | null, token: string | null) {
    this.server = server;
    this.cenv = cenv;
    this.token = token;
  }

  /** A client for a cenv, with the kept token (none is fine: anonymous). */
  static forCenv(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): Client {
    const server = serverOf(flags, env);
    const cenv = cenvOf(flags, server, env);
    return new Client(server, cenv, env.WCE_TOKEN ?? findLogin(server, cenv)?.token ?? null);
  }

  /** `/sql` → `http://host/{cenv}/sql`; without a cenv, the server's own path (`/new`). */
  url(path: string): string {
    return this.cenv === null ? `${this.server}${path}` : `${this.server}/${encodeURIComponent(this.cenv)}${path}`;
  }

  /** The raw answer; failures to connect become a CliError that says how to start the server. */
  async fetch(method: string, path: string, init: { body?: RequestInit['body']; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      return await fetch(this.url(path), { method, headers, body: init.body, signal: init.signal, duplex: init.body instanceof ReadableStream ? 'half' : undefined } as RequestInit);
    } catch (error) {
      const why = (error as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
      const cause = why?.code ?? why?.errors?.[0]?.code ?? why?.message ?? (error as Error).message;
      throw new CliError(`cannot reach ${this.server} (${cause}). Is the server running? Start one with "wce serve" (or npm start), ` +
        'or point --server (or WCE_SERVER) at yours.', EXIT.unreachable);
    }
  }

  /** Sends JSON, returns the parsed answer; an error answer throws a CliError. */
  async json<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return this.read<T>(response);
  }

  /** The parsed body of an answer, or the CliError it amounts to. */
  async read<T>(response: Response): Promise<T> {
    const text = await response.text();
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (response.ok) return parsed as T;
    const message = describe(response.status, parsed as ErrorBody, text);
    if (response.status === 401) {
      if (this.token && this.cenv) forgetLogin({ server: this.server, cenv: this.cenv });
      throw new CliError(`${message}\nLog in: wce login ${this.cenv ?? 'CENV'} --username NAME`, EXIT.auth);
    }
    if (response.status === 404 && (parsed as ErrorBody)?.error?.message?.startsWith('no cenv ')) {
      throw new CliError(`${message}\nCheck the name (wce login CENV), or create it: wce new ${this.cenv ?? 'NAME'} --username NAME`);
    }
    throw new CliError(message);
  }
}
