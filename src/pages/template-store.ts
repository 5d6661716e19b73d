/**
 * Templates in `_wce_templates`, on a main-process connection: read, create, change, delete
 * and restore, each change with its new version in `_wce_versions` (src/cenv/versions.ts)
 * and its audit row in one transaction. Input arrives checked (template-admin.ts parses it
 * in the sandbox first); this module only stores.
 *
 * @example const t = createTemplate(db, { path: 'about', syntax: 'liquid', source, queries: {}, contentType: 'text/html', enabled: true }, actor)
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Actor } from '../access/admin-change.ts';
import { addVersion, deleteVersions, getVersion } from '../cenv/versions.ts';
import { audit } from '../db/audit.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { PageQuery, TemplateSyntax } from '../sandbox/protocol.ts';
import { prepared } from '../tools/statement-cache.ts';
import { nowIso } from '../tools/time.ts';
import { transaction } from '../tools/transaction.ts';
import { storedQueries } from './query-spec.ts';

/** What an owner edits. */
export interface TemplateFields {
  path: string;
  syntax: TemplateSyntax;
  source: string;
  queries: Record<string, PageQuery>;
  contentType: string;
  enabled: boolean;
}

export interface TemplateRecord extends TemplateFields {
  id: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

interface Row {
  id: number; path: string; syntax: TemplateSyntax; source: string; queries: string; content_type: string;
  enabled: number; version: number; created_at: string; updated_at: string; updated_by: string | null;
}

const COLUMNS = 'id, path, syntax, source, queries, content_type, enabled, version, created_at, updated_at, updated_by';

function record(row: Row): TemplateRecord {
  return {
    id: row.id, path: row.path, syntax: row.syntax, source: row.source, queries: storedQueries(row.queries),
    contentType: row.content_type, enabled: row.enabled === 1, version: row.version,
    createdAt: row.created_at, updatedAt: row.updated_at, updatedBy: row.updated_by,
  };
}

/** The fields a version keeps besides the source. */
function meta(fields: TemplateFields): Record<string, unknown> {
  return { path: fields.path, syntax: fields.syntax, queries: fields.queries, content_type: fields.contentType, enabled: fields.enabled };
}

/** The API's JSON for a template; `withSource` false for lists. */
export function templateJson(t: TemplateRecord, withSource = true): Record<string, unknown> {
  return {
    id: t.id, path: t.path, syntax: t.syntax, ...(withSource ? { source: t.source } : {}), queries: t.queries,
    content_type: t.contentType, enabled: t.enabled, version: t.version,
    created_at: t.createdAt, updated_at: t.updatedAt, updated_by: t.updatedBy,
  };
}

export function listTemplates(db: DatabaseSync): TemplateRecord[] {
  return (prepared(db, `SELECT ${COLUMNS} FROM _wce_templates ORDER BY path`).all() as unknown as Row[]).map(record);
}

export function findTemplate(db: DatabaseSync, id: number): TemplateRecord | null {
  const row = prepared(db, `SELECT ${COLUMNS} FROM _wce_templates WHERE id = ?`).get(id) as Row | undefined;
  return row ? record(row) : null;
}

/** The template or a 404. */
export function getTemplate(db: DatabaseSync, id: number): TemplateRecord {
  const found = findTemplate(db, id);
  if (!found) throw new NotFoundError(`no template with id ${id}`);
  return found;
}

function pathTaken(error: unknown, path: string): Error {
  if (String((error as Error).message).includes('UNIQUE constraint failed: _wce_templates.path')) {
    return new ConflictError(`another template already has the path "${path}"`);
  }
  return error as Error;
}

function auditChange(db: DatabaseSync, actor: Actor, action: string, t: { id: number; path: string; version?: number }): void {
  audit(db, {
    action, userId: actor.userId, username: actor.username, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null,
    detail: { template_id: t.id, path: t.path, ...(t.version ? { version: t.version } : {}) },
  });
}

export function createTemplate(db: DatabaseSync, fields: TemplateFields, actor: Actor): TemplateRecord {
  return transaction(db, () => {
    const now = nowIso();
    let id: number;
    try {
      id = Number(prepared(db, `INSERT INTO _wce_templates (path, syntax, source, queries, content_type, enabled, version, created_at, updated_at, updated_by)
        VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`).run(fields.path, fields.syntax, fields.source, JSON.stringify(fields.queries),
        fields.contentType, fields.enabled ? 1 : 0, now, now, actor.userId).lastInsertRowid);
    } catch (error) {
      throw pathTaken(error, fields.path);
    }
    addVersion(db, 'template', String(id), { source: fields.source, meta: meta(fields), createdBy: actor.userId });
    auditChange(db, actor, 'template_created', { id, path: fields.path, version: 1 });
    return getTemplate(db, id);
  });
}

/**
 * Stores `fields` as the next version of template `id` (unless nothing changed: then the
 * template is returned as it is). `expected` is the version the change was checked against:
 * if another save landed in between, the caller's check is stale and this is a 409.
 */
export function updateTemplate(db: DatabaseSync, id: number, fields: TemplateFields, actor: Actor, expected: number, action = 'template_updated'): TemplateRecord {
  return transaction(db, () => {
    const current = getTemplate(db, id);
    if (current.version !== expected) throw new ConflictError(`template ${id} changed while this save was checked (now version ${current.version}); load it again`);
    const same = JSON.stringify(meta(current)) === JSON.stringify(meta(fields)) && current.source === fields.source;
    if (same && action === 'template_updated') return current;
    const version = current.version + 1;
    try {
      prepared(db, `UPDATE _wce_templates SET path = ?, syntax = ?, source = ?, queries = ?, content_type = ?, enabled = ?,
        version = ?, updated_at = ?, updated_by = ? WHERE id = ?`).run(fields.path, fields.syntax, fields.source, JSON.stringify(fields.queries),
        fields.contentType, fields.enabled ? 1 : 0, version, nowIso(), actor.userId, id);
    } catch (error) {
      throw pathTaken(error, fields.path);
    }
    addVersion(db, 'template', String(id), { source: fields.source, meta: meta(fields), createdBy: actor.userId });
    auditChange(db, actor, action, { id, path: fields.path, version });
    return getTemplate(db, id);
  });
}

/** Deletes a template, its history and its cached pages. */
export function deleteTemplate(db: DatabaseSync, id: number, actor: Actor): TemplateRecord {
  return transaction(db, () => {
    const current = getTemplate(db, id);
    prepared(db, 'DELETE FROM _wce_templates WHERE id = ?').run(id);
    deleteVersions(db, 'template', String(id));
    auditChange(db, actor, 'template_deleted', current);
    return current;
  });
}

/**
 * The fields of saved version `version` of template `id` (source and everything but
 * `enabled`, which stays as it is now), for a restore; 404 when there is no such version.
 */
export function versionFields(db: DatabaseSync, current: TemplateRecord, version: number): TemplateFields {
  const saved = getVersion(db, 'template', String(current.id), version);
  if (!saved) throw new NotFoundError(`template ${current.id} has no version ${version}`);
  const m = (saved.meta ?? {}) as { path?: string; syntax?: TemplateSyntax; queries?: Record<string, PageQuery>; content_type?: string };
  return {
    path: m.path ?? current.path, syntax: m.syntax ?? current.syntax, source: saved.source, queries: m.queries ?? {},
    contentType: m.content_type ?? current.contentType, enabled: current.enabled,
  };
}

/** What the main process needs to route a path and to tell whether a page is stale. */
export interface Route { id: number; path: string; version: number; enabled: boolean; contentType: string }

/** Every template's routing facts, partials and disabled ones included. */
export function listRoutes(db: DatabaseSync): Route[] {
  const rows = prepared(db, 'SELECT id, path, version, enabled, content_type FROM _wce_templates').all() as unknown as
    Array<{ id: number; path: string; version: number; enabled: number; content_type: string }>;
  return rows.map((r) => ({ id: r.id, path: r.path, version: r.version, enabled: r.enabled === 1, contentType: r.content_type }));
}
