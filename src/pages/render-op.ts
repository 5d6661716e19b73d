/**
 * The `render` op, in a sandbox child: tenant templates run here and nowhere else.
 *
 * - `page`: a saved template (parsed once per version, kept in the cenv's cache) rendered for
 *   a concrete path, as the job's principal (anonymous for the page cache);
 * - `preview`: unsaved text, the same way (the editor's live preview, as anonymous or a user);
 * - `check`: text about to be saved — the template parses, every query prepares as the
 *   saving user, reads only and binds only the path's parameters — or a 400 says what and
 *   where. Nothing runs.
 *
 * The queries run in one deferred transaction that is always rolled back (one snapshot for
 * the whole page, and nothing a query did can stay), refuse writes, and stop at the job's
 * deadline; the reply's `reads` are the tables they read, which is what the page cache
 * records. A failing template or query is not an error of the job: it comes back in
 * `render.error` (with its line), so the cache can keep the last good page.
 */
import { LiquidError } from 'liquidjs';
import type { Principal } from '../auth/principal.ts';
import { TenantDb } from '../db/tenant-db.ts';
import { NotFoundError, ValidationError, type DetailedError } from '../errors.ts';
import type { OpContext, OpHandler } from '../sandbox/handlers.ts';
import type { OpReply, PageQuery, RenderInfo, RenderPayload, TemplateSyntax, TemplateText } from '../sandbox/protocol.ts';
import { prepared } from '../tools/statement-cache.ts';
import { liquidPosition, parseTemplate, renderTemplate, type ParsedTemplate, type TemplateLoader } from './engine.ts';
import { escapesMarkup } from './content-types.ts';
import { markdownToHtml } from './markdown.ts';
import { parsePattern } from './paths.ts';
import { compileQuery, namedQueryError, runQueries, type CompiledQuery } from './queries.ts';
import { storedQueries } from './query-spec.ts';

type RenderReply = OpReply & { render: RenderInfo };

interface Compiled { syntax: TemplateSyntax; parsed: ParsedTemplate; queries: CompiledQuery[] }

interface StoredTemplate { path: string; syntax: TemplateSyntax; source: string; queries: string; content_type: string; version: number }

/** Markdown pages are fragments; this makes them a UTF-8, standards-mode document. */
const MARKDOWN_HEAD = '<!doctype html>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n';

/**
 * Parses a template and its queries. With `checkAs` (a save), each query is first prepared
 * as that principal, so SQLite's own message points at a mistake before anything else does.
 */
function compile(text: TemplateText, checkAs?: { ctx: OpContext; principal: Principal }): Compiled {
  const { params } = parsePattern(text.path);
  // Markdown becomes HTML after Liquid: its values are escaped whatever the content type.
  const parsed = parseTemplate(text.source, text.syntax === 'markdown' || escapesMarkup(text.contentType));
  const queries = Object.entries(text.queries).map(([name, query]: [string, PageQuery]) => {
    try {
      if (checkAs) checkQuery(checkAs.ctx, checkAs.principal, query.sql);
      return compileQuery(name, query, params);
    } catch (error) {
      throw namedQueryError(error, name);
    }
  });
  return { syntax: text.syntax, parsed, queries };
}

function loaderFor(ctx: OpContext): TemplateLoader {
  return (path) => ctx.conn.gate.trusted(() => prepared(ctx.conn.db, 'SELECT id, version, source FROM _wce_templates WHERE path = ?')
    .get(path) as { id: number; version: number; source: string } | undefined) ?? null;
}

function loadTemplate(ctx: OpContext, id: number): StoredTemplate {
  const row = ctx.conn.gate.trusted(() => prepared(ctx.conn.db, 'SELECT path, syntax, source, queries, content_type, version FROM _wce_templates WHERE id = ?')
    .get(id) as StoredTemplate | undefined);
  if (!row) throw new NotFoundError(`template ${id} no longer exists`);
  return row;
}

/** Prepares a query as `principal` without running it: syntax, names, grants, read-only. */
function checkQuery(ctx: OpContext, principal: Principal, sql: string): void {
  const { gate } = ctx.conn;
  const statement = gate.runAs(principal, () => gate.prepare(sql, principal));
  if (statement.writes.length > 0 || statement.ddl) throw new ValidationError('page queries may only read (SELECT); this one writes');
}

/** True for failures of the tenant's template, queries or limits (recorded), false for faults (thrown). */
function isRenderFailure(error: unknown): boolean {
  if (LiquidError.is(error) || error instanceof RangeError) return true;
  const status = (error as DetailedError | null)?.statusCode;
  return typeof status === 'number' && (status < 500 || status === 504);
}

function describe(error: unknown): NonNullable<RenderInfo['error']> {
  const e = error as DetailedError;
  const details = e.details ?? {};
  const line = liquidPosition(error)?.line ?? (typeof details.line === 'number' ? details.line : null);
  const query = typeof details.query === 'string' ? details.query : null;
  let message = error instanceof RangeError ? 'the template nests too deeply (an include that includes itself?)' : String(e.message);
  if (/template render limit exceeded/.test(message)) message = `${message}: the render ran out of time (render_timeout_ms)`;
  return { message: message.slice(0, 2000), line, query };
}

function render(ctx: OpContext, compiled: Compiled, version: number, path: string, params: Record<string, string>, site: { root: string }): RenderReply {
  const started = performance.now();
  const tdb = new TenantDb(ctx.conn, ctx.principal, ctx.context, { settings: ctx.settings, deadline: ctx.deadline, limitName: 'render_timeout_ms' });
  const info = (error: RenderInfo['error'], notFound = false, includes: Record<string, number> = {}): RenderInfo =>
    ({ error, notFound, includes, version, durationMs: Math.round((performance.now() - started) * 100) / 100 });
  try {
    const readOnly = (sql: string) => checkQuery(ctx, ctx.principal, sql);
    const { data, notFound } = tdb.transaction(() => runQueries(tdb, compiled.queries, params, readOnly), { mode: 'deferred', rollback: true });
    const scope = { ...data, params: { ...params }, page: { path }, site: { root: site.root, pages: `${site.root}/pages` } };
    const result = renderTemplate(compiled.parsed, scope, { deadline: ctx.deadline, loader: loaderFor(ctx) });
    const html = compiled.syntax === 'markdown' ? MARKDOWN_HEAD + markdownToHtml(result.html) : result.html;
    const bytes = Buffer.byteLength(html, 'utf8');
    if (bytes > ctx.settings.page_max_bytes) {
      return { status: 500, body: '', effects: { writes: [], reads: [...tdb.reads] },
        render: info({ message: `the page is ${bytes} bytes, more than page_max_bytes (${ctx.settings.page_max_bytes})`, line: null, query: null }) };
    }
    const missing = notFound || result.notFound;
    return { status: missing ? 404 : 200, body: html, effects: { writes: [], reads: [...tdb.reads] }, render: info(null, missing, result.includes) };
  } catch (error) {
    if (!isRenderFailure(error)) throw error;
    return { status: 500, body: '', effects: { writes: [], reads: [...tdb.reads] }, render: info(describe(error)) };
  }
}

export const renderHandler: OpHandler<'render'> = {
  run(ctx, payload: RenderPayload): RenderReply {
    if (payload.kind === 'check') {
      compile(payload.template, { ctx, principal: ctx.principal });
      return { status: 200, body: '', effects: { writes: [], reads: [] }, render: { error: null, durationMs: 0, notFound: false, version: 0, includes: {} } };
    }
    if (payload.kind === 'preview') {
      let compiled: Compiled;
      try {
        compiled = compile(payload.template);
      } catch (error) {
        if (!isRenderFailure(error)) throw error;
        return { status: 500, body: '', effects: { writes: [], reads: [] }, render: { error: describe(error), durationMs: 0, notFound: false, version: 0, includes: {} } };
      }
      return render(ctx, compiled, 0, payload.path, payload.params, payload.site);
    }
    const stored = loadTemplate(ctx, payload.template.id);
    let compiled: Compiled;
    try {
      compiled = ctx.cache.get(`template:${payload.template.id}`, stored.version,
        () => compile({ path: stored.path, syntax: stored.syntax, source: stored.source, queries: storedQueries(stored.queries), contentType: stored.content_type }));
    } catch (error) {
      if (!isRenderFailure(error)) throw error;
      return { status: 500, body: '', effects: { writes: [], reads: [] }, render: { error: describe(error), durationMs: 0, notFound: false, version: stored.version, includes: {} } };
    }
    return render(ctx, compiled, stored.version, payload.path, payload.params, payload.site);
  },
};
