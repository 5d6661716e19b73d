/**
 * Where the CLI keeps what `wce login` got: one JSON file, `$XDG_CONFIG_HOME/wce/credentials.json`
 * (or `~/.config/wce/credentials.json`), mode 0600 in a 0700 directory, because it holds
 * bearer tokens. Tokens are kept per server URL and cenv; the last login is the default
 * target of later commands.
 *
 * The file is rewritten whole through a temporary file and a rename, so a crash never leaves
 * half a file, and the temporary file is created 0600 before anything is written to it.
 *
 * @example
 *   saveLogin({ server: 'http://localhost:5309', cenv: 'blog', token, username: 'ada', expires_at });
 *   findLogin('http://localhost:5309', 'blog')?.token
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface Login { token: string; username: string; expires_at: string }

interface CredentialsFile {
  /** The target of commands that name none: the last login. */
  current?: { server: string; cenv: string };
  servers: Record<string, { cenvs: Record<string, Login> }>;
}

/** The directory of the CLI's files: `$XDG_CONFIG_HOME/wce` or `~/.config/wce`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || homedir(), '.config');
  return path.join(base, 'wce');
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'credentials.json');
}

function read(): CredentialsFile {
  try {
    const parsed = JSON.parse(readFileSync(credentialsPath(), 'utf8')) as CredentialsFile;
    return { current: parsed.current, servers: parsed.servers ?? {} };
  } catch {
    return { servers: {} };
  }
}

function write(file: CredentialsFile): void {
  const target = credentialsPath();
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, target);
}

/** A server URL as the file keys it: origin without a trailing slash. */
export function serverKey(server: string): string {
  return server.replace(/\/+$/, '');
}

/** Keeps a login and makes it the default target. */
export function saveLogin(target: { server: string; cenv: string }, login: Login): void {
  const file = read();
  const server = serverKey(target.server);
  (file.servers[server] ??= { cenvs: {} }).cenvs[target.cenv] = login;
  file.current = { server, cenv: target.cenv };
  write(file);
}

/** Forgets the login of one cenv (after `wce logout`, or a token the server refused). */
export function forgetLogin(target: { server: string; cenv: string }): void {
  const file = read();
  const server = serverKey(target.server);
  if (!file.servers[server]?.cenvs[target.cenv]) return;
  delete file.servers[server].cenvs[target.cenv];
  write(file);
}

export function findLogin(server: string, cenv: string): Login | null {
  return read().servers[serverKey(server)]?.cenvs[cenv] ?? null;
}

/** The last login's server and cenv, if any. */
export function currentTarget(): { server: string; cenv: string } | null {
  return read().current ?? null;
}
