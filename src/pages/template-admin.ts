/**
 * What the admin API does with templates: every save (create, change, restore) is checked
 * in the sandbox first — the template parses, its queries prepare as the saving user, read
 * only and bind only the path's parameters — and refused with a 400 that says where; then
 * stored with its new version, and the main process forgets what it remembered of the
 * cenv's routes and pages. The commit-event bus (published by the route) then re-renders
 * exactly the pages the change made stale (invalidation.ts).
 *
 * Checking runs in the sandbox rather than here because the queries must be prepared on a
 * guarded tenant connection, which only children have; LiquidJS parsing alone would be
 * safe in the main process, but splitting the check would parse twice for nothing.
 *
 * @example const t = await createChecked(app.deps, editor, { path: 'about', source: '<h1>About</h1>' });
 */
import type { Actor } from '../access/admin-change.ts';
import type { Principal } from '../auth/principal.ts';
import type { ConnectionPools } from '../cenv/pool.ts';
import { ValidationError } from '../errors.ts';
import type { RequestContext, TemplateSyntax } from '../sandbox/protocol.ts';
import { contentTypeProblem } from './content-types.ts';
import { parsePattern } from './paths.ts';
import { normalizeQueries, type QueryInput } from './query-spec.ts';
import type { PageService } from './service.ts';
import {
  createTemplate, deleteTemplate, getTemplate, updateTemplate, versionFields, type TemplateFields, type TemplateRecord,
} from './template-store.ts';

/** Who saves, with what, and where the request came from. */
export interface Editor { cenvId: string; principal: Principal; actor: Actor; context: RequestContext }

/** What the admin API accepts (every field optional for a change). */
export interface TemplateInput {
  path?: string;
  syntax?: TemplateSyntax;
  source?: string;
  queries?: Record<string, QueryInput>;
  content_type?: string;
  enabled?: boolean;
}

interface Deps { pools: ConnectionPools; pages: PageService }

/** `input` laid over `base`, every field checked; throws ValidationError. */
function fieldsOf(base: TemplateFields, input: TemplateInput): TemplateFields {
  const fields: TemplateFields = {
    path: input.path ?? base.path,
    syntax: input.syntax ?? base.syntax,
    source: input.source ?? base.source,
    queries: input.queries !== undefined ? normalizeQueries(input.queries) : base.queries,
    contentType: input.content_type ?? base.contentType,
    enabled: input.enabled ?? base.enabled,
  };
  parsePattern(fields.path);
  const problem = contentTypeProblem(fields.contentType);
  if (problem) throw new ValidationError(problem);
  return fields;
}

function changesText(a: TemplateFields, b: TemplateFields): boolean {
  return a.path !== b.path || a.syntax !== b.syntax || a.source !== b.source || a.contentType !== b.contentType ||
    JSON.stringify(a.queries) !== JSON.stringify(b.queries);
}

async function check(deps: Deps, editor: Editor, fields: TemplateFields): Promise<void> {
  const { path, syntax, source, queries, contentType } = fields;
  await deps.pages.check(editor.cenvId, editor.principal, { path, syntax, source, queries, contentType }, editor.context);
}

const EMPTY: TemplateFields = { path: '', syntax: 'liquid', source: '', queries: {}, contentType: 'text/html', enabled: true };

export async function createChecked(deps: Deps, editor: Editor, input: TemplateInput): Promise<TemplateRecord> {
  if (input.path === undefined || input.source === undefined) throw new ValidationError('a new template needs "path" and "source"');
  const fields = fieldsOf(EMPTY, input);
  await check(deps, editor, fields);
  const created = await deps.pools.use(editor.cenvId, (db) => createTemplate(db, fields, editor.actor));
  deps.pages.forget(editor.cenvId);
  return created;
}

export async function updateChecked(deps: Deps, editor: Editor, id: number, input: TemplateInput): Promise<TemplateRecord> {
  const current = await deps.pools.use(editor.cenvId, (db) => getTemplate(db, id));
  const fields = fieldsOf(current, input);
  if (changesText(current, fields)) await check(deps, editor, fields);
  const saved = await deps.pools.use(editor.cenvId, (db) => updateTemplate(db, id, fields, editor.actor, current.version));
  deps.pages.forget(editor.cenvId);
  return saved;
}

/** Makes saved version `version` the current one again, as a new version (history only grows). */
export async function restoreChecked(deps: Deps, editor: Editor, id: number, version: number): Promise<TemplateRecord> {
  const { current, fields } = await deps.pools.use(editor.cenvId, (db) => {
    const now = getTemplate(db, id);
    return { current: now, fields: versionFields(db, now, version) };
  });
  await check(deps, editor, fields);
  const saved = await deps.pools.use(editor.cenvId, (db) => updateTemplate(db, id, fields, editor.actor, current.version, 'template_restored'));
  deps.pages.forget(editor.cenvId);
  return saved;
}

/** Deletes a template, its versions and its cached pages. */
export async function deleteWithPages(deps: Deps, editor: Editor, id: number): Promise<TemplateRecord> {
  const removed = await deps.pools.use(editor.cenvId, (db) => deleteTemplate(db, id, editor.actor));
  deps.pages.forget(editor.cenvId);
  return removed;
}
