/**
 * Endpoints as the admin API manages them (`_wce_endpoints` + their versions), on a
 * main-process connection. Every change is checked first (pattern, source, loads, the
 * owner-only rule), then made, versioned and audited in one transaction.
 *
 * The owner-only rule: `run_as: "owner"` runs code with the owner's rights, so only the owner
 * creates such an endpoint, switches one to it, or changes one in any way but disabling it
 * (admins may still disable or delete it: that only takes rights away).
 *
 * @example
 *   const e = createEndpoint(db, { method: 'GET', path: '/hello', source, access: 'public', run_as: 'caller', enabled: true }, editor, dialect);
 *   updateEndpoint(db, e.id, { enabled: false }, editor, dialect);
 */
import type { DatabaseSync } from 'node:sqlite';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { deleteVersions, getVersion, listVersions, type Version, type VersionInfo } from '../cenv/versions.ts';
import { nowIso } from '../tools/time.ts';
import { transaction } from '../tools/transaction.ts';
import { prepared } from '../tools/statement-cache.ts';
import { parsePattern } from './patterns.ts';
import type { EndpointAccess, EndpointMethod, RouteInfo, RunAs } from './route-table.ts';
import { auditChange, checkSaved, nextVersion, type Editor } from './sources.ts';
import type { Dialect } from './dialect.ts';

export interface EndpointInput {
  method: EndpointMethod;
  path: string;
  source: string;
  access: EndpointAccess;
  run_as: RunAs;
  enabled: boolean;
}

export interface Endpoint extends RouteInfo {
  source: string;
  enabled: boolean;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** More endpoints than this in one cenv are refused (routing stays small). */
export const MAX_ENDPOINTS = 1000;

interface Row extends Omit<Endpoint, 'enabled'> { enabled: number }

function toEndpoint(row: Row): Endpoint {
  return { ...row, enabled: row.enabled === 1 };
}

/**
 * The API shape: without the source in lists, with it for one endpoint.
 * @example endpointJson(e, false) // { id, method, path, access, run_as, enabled, version, updated_at }
 */
export function endpointJson(e: Endpoint, withSource: boolean): Record<string, unknown> {
  const base = { id: e.id, method: e.method, path: e.path, access: e.access, run_as: e.run_as, enabled: e.enabled, version: e.version, updated_at: e.updated_at };
  return withSource ? { ...base, source: e.source, created_at: e.created_at, created_by: e.created_by, updated_by: e.updated_by } : base;
}

/** Every endpoint, by path then method. */
export function listEndpoints(db: DatabaseSync): Endpoint[] {
  return (prepared(db, 'SELECT * FROM _wce_endpoints ORDER BY path, method').all() as unknown as Row[]).map(toEndpoint);
}

/** What routing needs, for enabled endpoints only. */
export function enabledRoutes(db: DatabaseSync): RouteInfo[] {
  return prepared(db, 'SELECT id, method, path, access, run_as, version FROM _wce_endpoints WHERE enabled = 1').all() as unknown as RouteInfo[];
}

export function findEndpoint(db: DatabaseSync, id: number): Endpoint | null {
  const row = prepared(db, 'SELECT * FROM _wce_endpoints WHERE id = ?').get(id) as Row | undefined;
  return row ? toEndpoint(row) : null;
}

function mustFind(db: DatabaseSync, id: number): Endpoint {
  const found = findEndpoint(db, id);
  if (!found) throw new NotFoundError(`no endpoint with id ${id}`);
  return found;
}

function requireOwner(editor: Editor, why: string): void {
  if (editor.role !== 'owner') throw new ForbiddenError(`only the owner may ${why} (you are ${editor.role})`);
}

/** The owner-only rule of this file's header, for a change from `before` (null: new) to `after`. */
function checkOwnerRule(editor: Editor, before: Endpoint | null, after: EndpointInput): void {
  if (after.run_as === 'owner' && before?.run_as !== 'owner') requireOwner(editor, 'make an endpoint run as the owner');
  if (before?.run_as !== 'owner') return;
  const onlyDisabled = after.run_as === 'owner' && after.source === before.source && after.path === before.path &&
    after.method === before.method && after.access === before.access && (after.enabled === before.enabled || !after.enabled);
  if (!onlyDisabled) requireOwner(editor, 'change an endpoint that runs as the owner (admins may only disable or delete it)');
}

/** Validates `input` for endpoint `id` (null: a new one) and returns its route key. */
function validate(db: DatabaseSync, input: EndpointInput, id: number | null, dialect: Dialect, sourceChanged: boolean): string {
  const { key } = parsePattern(input.path);
  const clash = prepared(db, 'SELECT id, path FROM _wce_endpoints WHERE method = ? AND route_key = ? AND id IS NOT ?').get(input.method, key, id) as { id: number; path: string } | undefined;
  if (clash) throw new ConflictError(`endpoint ${clash.id} already serves ${input.method} ${clash.path}`);
  if (sourceChanged) checkSaved(db, input.source, 'endpoint', dialect);
  return key;
}

/** Creates an endpoint (version 1). */
export function createEndpoint(db: DatabaseSync, input: EndpointInput, editor: Editor, dialect: Dialect): Endpoint {
  checkOwnerRule(editor, null, input);
  return transaction(db, () => {
    const count = (prepared(db, 'SELECT count(*) AS n FROM _wce_endpoints').get() as { n: number }).n;
    if (count >= MAX_ENDPOINTS) throw new ConflictError(`a cenv may have at most ${MAX_ENDPOINTS} endpoints`);
    const key = validate(db, input, null, dialect, true);
    const now = nowIso();
    const { id } = prepared(db, `INSERT INTO _wce_endpoints
      (method, path, route_key, source, access, run_as, enabled, version, created_at, created_by, updated_at, updated_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id`)
      .get(input.method, input.path, key, input.source, input.access, input.run_as, input.enabled ? 1 : 0, now, editor.userId, now, editor.userId) as { id: number };
    nextVersion(db, 'endpoint', id, input.source, null, editor);
    auditChange(db, editor, 'endpoint_created', { id, method: input.method, path: input.path, access: input.access, run_as: input.run_as });
    return mustFind(db, id);
  });
}

function save(db: DatabaseSync, id: number, patch: Partial<EndpointInput>, editor: Editor, dialect: Dialect, action: string): Endpoint {
  const before = mustFind(db, id);
  const after: EndpointInput = { ...before, ...patch };
  checkOwnerRule(editor, before, after);
  const key = validate(db, after, id, dialect, after.source !== before.source);
  const version = nextVersion(db, 'endpoint', id, after.source, before, editor);
  prepared(db, `UPDATE _wce_endpoints SET method = ?, path = ?, route_key = ?, source = ?, access = ?, run_as = ?, enabled = ?,
    version = ?, updated_at = ?, updated_by = ? WHERE id = ?`)
    .run(after.method, after.path, key, after.source, after.access, after.run_as, after.enabled ? 1 : 0, version, nowIso(), editor.userId, id);
  const changed = (Object.keys(patch) as Array<keyof EndpointInput>).filter((k) => patch[k] !== before[k] && k !== 'source');
  auditChange(db, editor, action, {
    id, version, ...(version !== before.version ? { previous_version: before.version } : {}),
    ...Object.fromEntries(changed.map((k) => [k, { before: before[k], after: after[k] }])),
  });
  return mustFind(db, id);
}

/** Changes any fields; a new version when the source changes. */
export function updateEndpoint(db: DatabaseSync, id: number, patch: Partial<EndpointInput>, editor: Editor, dialect: Dialect): Endpoint {
  return transaction(db, () => save(db, id, patch, editor, dialect, 'endpoint_updated'));
}

/** Makes a new version holding version `n`'s source. */
export function restoreEndpoint(db: DatabaseSync, id: number, n: number, editor: Editor, dialect: Dialect): Endpoint {
  return transaction(db, () => {
    const old = endpointVersion(db, id, n);
    return save(db, id, { source: old.source }, editor, dialect, 'endpoint_restored');
  });
}

/** Deletes an endpoint and its versions; returns what was deleted. */
export function deleteEndpoint(db: DatabaseSync, id: number, editor: Editor): Endpoint {
  return transaction(db, () => {
    const before = mustFind(db, id);
    prepared(db, 'DELETE FROM _wce_endpoints WHERE id = ?').run(id);
    deleteVersions(db, 'endpoint', String(id));
    auditChange(db, editor, 'endpoint_deleted', { id, method: before.method, path: before.path, version: before.version });
    return before;
  });
}

/** The versions of endpoint `id`, newest first. */
export function endpointVersions(db: DatabaseSync, id: number): VersionInfo[] {
  mustFind(db, id);
  return listVersions(db, 'endpoint', String(id));
}

/** Version `n` of endpoint `id`, with its source. */
export function endpointVersion(db: DatabaseSync, id: number, n: number): Version {
  mustFind(db, id);
  const version = getVersion(db, 'endpoint', String(id), n);
  if (!version) throw new NotFoundError(`endpoint ${id} has no version ${n}`);
  return version;
}
