/**
 * The data both benches of this folder start from: a temporary workspace and, created through
 * WCE's own HTTP API, a cenv whose owner has 3 sessions (the authenticated request lists them)
 * and a second cenv for the login bench (every login adds a session there).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createCenv, login, type NewCenv } from '../../test/helpers/server.ts';
import type { Workspace } from './processes.ts';

export function createWorkspace(): Workspace {
  const dir = mkdtempSync(path.join(tmpdir(), 'wce-bench-http-'));
  return { dir, dataDir: path.join(dir, 'data'), secret: randomBytes(32).toString('hex') };
}

export interface Fixture {
  /** The cenv whose sessions are listed, and a bearer token of its owner. */
  listed: { id: string; token: string };
  logins: NewCenv;
}

export async function createFixture(url: string): Promise<Fixture> {
  const listed = await createCenv(url, { username: 'reader' });
  let token = '';
  for (let i = 0; i < 3; i++) ({ token } = await login(url, listed.id, listed.username, listed.password));
  const logins = await createCenv(url, { username: 'loginer' });
  return { listed: { id: listed.id, token }, logins };
}
