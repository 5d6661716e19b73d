/**
 * Modules for `load("lib/util.star", "f")` (`_wce_modules` + their versions), on a
 * main-process connection: addressed by name, checked like endpoint sources (without the
 * `handle` rule), versioned and audited in one transaction with each change.
 *
 * A module that an endpoint or another module loads cannot be deleted (409 naming who loads
 * it): the endpoint would fail at its next run instead of at the moment of the mistake.
 *
 * @example
 *   saveModule(db, 'lib/util.star', 'def twice(x):\n    return 2 * x\n', editor, dialect) // { module, created: true }
 */
import type { DatabaseSync } from 'node:sqlite';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { deleteVersions, getVersion, listVersions, type Version, type VersionInfo } from '../cenv/versions.ts';
import { nowIso } from '../tools/time.ts';
import { transaction } from '../tools/transaction.ts';
import { prepared } from '../tools/statement-cache.ts';
import { checkSource } from './check-source.ts';
import { auditChange, checkSaved, nextVersion, type Editor } from './sources.ts';
import type { Dialect } from './dialect.ts';

export interface ScriptModule {
  id: number;
  name: string;
  source: string;
  version: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

export const MAX_MODULES = 1000;
/** `lib/util.star`: segments of letters, digits, `_`, `-`, `.` (not starting with `.`), ending in `.star`. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\.star$/;
export const MAX_MODULE_NAME = 128;

/** Why `name` cannot name a module, or null. */
export function moduleNameProblem(name: string): string | null {
  if (name.length > MAX_MODULE_NAME || !NAME.test(name)) {
    return `module name "${name.slice(0, 80)}" must look like lib/util.star: up to ${MAX_MODULE_NAME} characters, ` +
      'segments of letters, digits, _ - . (not starting with .), ending in .star';
  }
  return null;
}

/** The API shape: without the source in lists. */
export function moduleJson(m: ScriptModule, withSource: boolean): Record<string, unknown> {
  const base = { name: m.name, version: m.version, size: Buffer.byteLength(m.source, 'utf8'), updated_at: m.updated_at };
  return withSource ? { ...base, source: m.source, created_at: m.created_at, created_by: m.created_by, updated_by: m.updated_by } : base;
}

export function listModules(db: DatabaseSync): ScriptModule[] {
  return prepared(db, 'SELECT * FROM _wce_modules ORDER BY name').all() as unknown as ScriptModule[];
}

export function findModule(db: DatabaseSync, name: string): ScriptModule | null {
  return (prepared(db, 'SELECT * FROM _wce_modules WHERE name = ?').get(name) as ScriptModule | undefined) ?? null;
}

function mustFind(db: DatabaseSync, name: string): ScriptModule {
  const found = findModule(db, name);
  if (!found) throw new NotFoundError(`no module named "${name.slice(0, 128)}"`);
  return found;
}

function store(db: DatabaseSync, name: string, source: string, editor: Editor, dialect: Dialect, action: string | null): { module: ScriptModule; created: boolean } {
  const problem = moduleNameProblem(name);
  if (problem) throw new ValidationError(problem);
  const before = findModule(db, name);
  if (before?.source !== source) checkSaved(db, source, 'module', dialect, name);
  const now = nowIso();
  let id = before?.id;
  if (!before) {
    const count = (prepared(db, 'SELECT count(*) AS n FROM _wce_modules').get() as { n: number }).n;
    if (count >= MAX_MODULES) throw new ConflictError(`a cenv may have at most ${MAX_MODULES} modules`);
    ({ id } = prepared(db, `INSERT INTO _wce_modules (name, source, version, created_at, created_by, updated_at, updated_by)
      VALUES (?, ?, 1, ?, ?, ?, ?) RETURNING id`).get(name, source, now, editor.userId, now, editor.userId) as { id: number });
  }
  const version = nextVersion(db, 'module', id!, source, before, editor);
  if (before && version !== before.version) {
    prepared(db, 'UPDATE _wce_modules SET source = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(source, version, now, editor.userId, id!);
  }
  if (!before || version !== before.version) {
    auditChange(db, editor, action ?? (before ? 'module_updated' : 'module_created'), { name, version });
  }
  return { module: mustFind(db, name), created: !before };
}

/** Creates or replaces module `name`; a new version when the source changed. */
export function saveModule(db: DatabaseSync, name: string, source: string, editor: Editor, dialect: Dialect): { module: ScriptModule; created: boolean } {
  return transaction(db, () => store(db, name, source, editor, dialect, null));
}

/** Creates module `name`; 409 when it exists. */
export function createModule(db: DatabaseSync, name: string, source: string, editor: Editor, dialect: Dialect): ScriptModule {
  return transaction(db, () => {
    if (findModule(db, name)) throw new ConflictError(`module "${name}" exists; change it with PUT`);
    return store(db, name, source, editor, dialect, null).module;
  });
}

/** Makes a new version holding version `n`'s source. */
export function restoreModule(db: DatabaseSync, name: string, n: number, editor: Editor, dialect: Dialect): ScriptModule {
  return transaction(db, () => store(db, name, moduleVersion(db, name, n).source, editor, dialect, 'module_restored').module);
}

/** Who loads `name`: endpoint ids and module names (a text search, then a real parse). */
function loadersOf(db: DatabaseSync, name: string, dialect: Dialect): string[] {
  const endpoints = prepared(db, 'SELECT id, source FROM _wce_endpoints WHERE instr(source, ?) > 0').all(name) as Array<{ id: number; source: string }>;
  const modules = prepared(db, 'SELECT name, source FROM _wce_modules WHERE name <> ? AND instr(source, ?) > 0').all(name, name) as Array<{ name: string; source: string }>;
  const loads = (source: string, kind: 'endpoint' | 'module'): boolean => {
    try {
      return checkSource(source, kind, dialect).loads.some((l) => l.module === name);
    } catch {
      // A source that no longer checks (the dialect changed): it may still name the module.
      return true;
    }
  };
  return [
    ...endpoints.filter((e) => loads(e.source, 'endpoint')).map((e) => `endpoint ${e.id}`),
    ...modules.filter((m) => loads(m.source, 'module')).map((m) => `module ${m.name}`),
  ];
}

/** Deletes module `name` and its versions; 409 while anything loads it. */
export function deleteModule(db: DatabaseSync, name: string, editor: Editor, dialect: Dialect): ScriptModule {
  return transaction(db, () => {
    const before = mustFind(db, name);
    const loaders = loadersOf(db, name, dialect);
    if (loaders.length > 0) throw new ConflictError(`module "${name}" is loaded by ${loaders.slice(0, 10).join(', ')}; change those first`);
    prepared(db, 'DELETE FROM _wce_modules WHERE id = ?').run(before.id);
    deleteVersions(db, 'module', String(before.id));
    auditChange(db, editor, 'module_deleted', { name, version: before.version });
    return before;
  });
}

export function moduleVersions(db: DatabaseSync, name: string): VersionInfo[] {
  return listVersions(db, 'module', String(mustFind(db, name).id));
}

export function moduleVersion(db: DatabaseSync, name: string, n: number): Version {
  const version = getVersion(db, 'module', String(mustFind(db, name).id), n);
  if (!version) throw new NotFoundError(`module "${name.slice(0, 128)}" has no version ${n}`);
  return version;
}
