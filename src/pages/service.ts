/**
 * Pages in the main process: serving from the cache, rendering on a miss, and the
 * re-render that stores a page after a commit. Tenant templates never run here; every
 * render is a `render` job in the sandbox, as `anonymous`, and this side only stores what
 * comes back.
 *
 * Three layers, each the source for the one above: the template rows and page cache in the
 * cenv file (survive restarts), the route table per cenv (which template serves a path),
 * and the bytes of served pages in memory (`MemoryCache`), so a hit costs no SQLite and no
 * child process. Invalidation (invalidation.ts) decides what to re-render; the Refresher
 * makes sure a page renders at most once at a time.
 *
 * @example
 *   const pages = new PageService({ pools, sandbox, settings, registry, logger });
 *   const page = await pages.serve(cenvId, 'posts/42');   // null: no template serves that path
 */
import { createHash } from 'node:crypto';
import { ANONYMOUS, type Principal } from '../auth/principal.ts';
import type { ConnectionPools } from '../cenv/pool.ts';
import type { CenvRegistry } from '../cenv/registry.ts';
import type { SettingsCache } from '../cenv/settings-store.ts';
import type { SandboxPool } from '../sandbox/pool.ts';
import { sandboxJob, type JobOrigin } from '../sandbox/job.ts';
import type { RenderInfo, RequestContext, TemplateText } from '../sandbox/protocol.ts';
import { BoundedCache } from '../tools/lru.ts';
import { deleteEntries, listEntries, pathsReading, readEntry, readTables, storeFailure, storeRender, type CacheEntry } from './cache-store.ts';
import { contentTypeHeader } from './content-types.ts';
import { MemoryCache, type ServedPage } from './memory-cache.ts';
import { RouteTable, type Match } from './paths.ts';
import { Refresher } from './refresher.ts';
import { listRoutes, type Route } from './template-store.ts';

export interface PageServiceDeps {
  pools: ConnectionPools;
  sandbox: SandboxPool;
  settings: SettingsCache;
  registry: CenvRegistry;
  logger: { error(details: object, message: string): void };
  /** Bytes of rendered pages kept in memory; default 64 MB. */
  memoryBytes?: number;
  /** Background renders per cenv at once; default 4. */
  concurrency?: number;
  /** Told of each cache hit, miss, background re-render and failed render (the metrics count them). */
  onCacheEvent?: (event: 'hit' | 'miss' | 'rerender' | 'render_failed') => void;
}

/** A preview's answer: what the editor shows. */
export interface PreviewResult { html: string; status: number; reads: string[]; render: RenderInfo }

/** The cenvs whose route tables and read-table sets are kept. */
const MAX_CENVS = 1000;

/** Strong ETag of a page's bytes. */
export function etagOf(html: string): string {
  return `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
}

export class PageService {
  readonly refresher: Refresher<JobOrigin>;
  readonly memory: MemoryCache;
  private readonly deps: PageServiceDeps;
  private readonly routes = new BoundedCache<string, Promise<RouteTable<Route>>>(MAX_CENVS);
  /** Per cenv: every table some cached page read (a commit to another table needs no lookup). */
  private readonly watched = new BoundedCache<string, { tables: Set<string>; ready: Promise<void> }>(MAX_CENVS);

  constructor(deps: PageServiceDeps) {
    this.deps = deps;
    this.memory = new MemoryCache(deps.memoryBytes ?? 64 * 1024 * 1024);
    this.refresher = new Refresher<JobOrigin>((cenvId, path, { origin, lastTry }) => this.renderAndStore(cenvId, path, origin, lastTry),
      { concurrency: deps.concurrency, logger: deps.logger });
  }

  /**
   * The page at a normalised path, from memory, from the cenv's page cache, or rendered now
   * (`origin`: the visitor, whose address the sandbox's per-address cap counts); null when no
   * enabled template serves the path.
   */
  async serve(cenvId: string, path: string, origin?: JobOrigin): Promise<ServedPage | null> {
    const hit = this.memory.get(cenvId, path);
    if (hit) {
      this.deps.onCacheEvent?.('hit');
      return hit;
    }
    const match = (await this.routeTable(cenvId)).match(path);
    if (!match) return null;
    const stored = await this.deps.pools.use(cenvId, (db) => readEntry(db, path));
    if (stored?.html != null && stored.templateId === match.route.id && stored.templateVersion === match.route.version) {
      this.deps.onCacheEvent?.('hit');
      return this.remember(cenvId, stored, match.route);
    }
    this.deps.onCacheEvent?.('miss');
    await this.refresher.now(cenvId, path, origin);
    const fresh = await this.deps.pools.use(cenvId, (db) => readEntry(db, path));
    if (fresh?.html != null) return this.remember(cenvId, fresh, match.route);
    return failurePage();
  }

  /** True when the cenv has an enabled `index` template (GET /{cenv}/ serves it). */
  async hasIndex(cenvId: string): Promise<boolean> {
    return (await this.routeTable(cenvId)).match('index') !== null;
  }

  /** The route table of a cenv: its enabled templates other than partials, with their versions. */
  routeTable(cenvId: string): Promise<RouteTable<Route>> {
    let table = this.routes.get(cenvId);
    if (!table) {
      table = this.deps.pools.use(cenvId, (db) => new RouteTable(listRoutes(db).filter((r) => r.enabled)));
      // A failed load is not remembered.
      table.catch(() => this.routes.delete(cenvId));
      this.routes.set(cenvId, table);
    }
    return table;
  }

  /** Forgets what the main process remembers of a cenv's templates and pages (a save, an import). */
  forget(cenvId: string): void {
    this.routes.delete(cenvId);
    this.memory.deleteCenv(cenvId);
  }

  /** Forgets the read-table set too (the file was replaced). */
  forgetAll(cenvId: string): void {
    this.forget(cenvId);
    this.watched.delete(cenvId);
  }

  /** True when some cached page of the cenv read one of `tables` (lower-case). */
  async readsAny(cenvId: string, tables: readonly string[]): Promise<boolean> {
    let watched = this.watched.get(cenvId);
    if (!watched) {
      const tablesSet = new Set<string>();
      watched = {
        tables: tablesSet,
        ready: this.deps.pools.use(cenvId, (db) => readTables(db)).then((rows) => { for (const t of rows) tablesSet.add(t); }),
      };
      watched.ready.catch(() => this.watched.delete(cenvId));
      this.watched.set(cenvId, watched);
    }
    await watched.ready;
    return tables.some((t) => watched.tables.has(t));
  }

  /** Paths of the cached pages that read any of `tables` (lower-case). */
  pathsReading(cenvId: string, tables: readonly string[]): Promise<string[]> {
    return this.deps.pools.use(cenvId, (db) => pathsReading(db, tables));
  }

  /** The current version of every template of the cenv, by id. */
  async templateVersions(cenvId: string): Promise<Map<number, number>> {
    const routes = await this.deps.pools.use(cenvId, (db) => listRoutes(db));
    return new Map(routes.map((r) => [r.id, r.version]));
  }

  /** Every cache entry of a cenv, without HTML. */
  list(cenvId: string): Promise<Array<CacheEntry & { bytes: number }>> {
    return this.deps.pools.use(cenvId, (db) => listEntries(db));
  }

  /** Queues a re-render of every cached page of the cenv; returns how many. */
  async refreshAll(cenvId: string): Promise<number> {
    const paths = (await this.list(cenvId)).map((e) => e.path);
    this.refresher.mark(cenvId, paths);
    return paths.length;
  }

  /** Drops entries from disk and memory. */
  async drop(cenvId: string, paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.deps.pools.use(cenvId, (db) => deleteEntries(db, paths));
    for (const path of paths) this.memory.delete(cenvId, path);
  }

  /** Checks template text before a save (in the sandbox, as the saving user); throws a 400 that says where. */
  async check(cenvId: string, principal: Principal, template: TemplateText, context: RequestContext): Promise<void> {
    const settings = await this.deps.settings.get(cenvId);
    await this.deps.sandbox.run(sandboxJob('render', cenvId, principal, { kind: 'check', template }, settings, { context, writes: false }));
  }

  /** Renders unsaved text with live data as `principal`, for the editor; nothing is stored. */
  async preview(cenvId: string, principal: Principal, template: TemplateText, path: string, params: Record<string, string>, context: RequestContext): Promise<PreviewResult> {
    const settings = await this.deps.settings.get(cenvId);
    const payload = { kind: 'preview' as const, template, path, params, site: await this.site(cenvId) };
    const reply = await this.deps.sandbox.run(sandboxJob('render', cenvId, principal, payload, settings, { context, writes: false }));
    return { html: reply.body, status: reply.status, reads: reply.effects.reads, render: reply.render };
  }

  /**
   * Renders one page as anonymous and stores the result: the new page, or the error beside
   * the last good one. Used by the Refresher only (one render per page at a time). When the
   * sandbox refuses the job (overloaded, or a visitor's address over its cap) nothing is
   * stored and the refusal is thrown, unless this is the `lastTry` of a background render.
   */
  async renderAndStore(cenvId: string, path: string, origin?: JobOrigin, lastTry = true): Promise<void> {
    const match = (await this.routeTable(cenvId)).match(path);
    if (!match) return this.drop(cenvId, [path]);
    // A render without a visitor is a refresh after a commit (a visitor's miss is counted in serve).
    if (origin === undefined) this.deps.onCacheEvent?.('rerender');
    const settings = await this.deps.settings.get(cenvId);
    const payload = { kind: 'page' as const, template: { id: match.route.id, version: match.route.version }, path, params: match.params, site: await this.site(cenvId) };
    const base = { path, templateId: match.route.id };
    let reply;
    try {
      reply = await this.deps.sandbox.run(sandboxJob('render', cenvId, ANONYMOUS, payload, settings, { ...origin, writes: false }));
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // The template was deleted under us: its pages go with it (the save reconciles too).
      if (status === 404) return this.drop(cenvId, [path]);
      const refused = status === 503 || status === 429;
      if (refused && !lastTry) throw error;
      // It ran and failed (time limit, a crash), or was refused for the last time: recorded like a template error.
      this.deps.onCacheEvent?.('render_failed');
      const failure = { ...base, templateVersion: match.route.version, error: String((error as Error).message), reads: [] };
      const dropped = await this.deps.pools.use(cenvId, (db) => storeFailure(db, failure, settings.page_cache_max_entries));
      for (const p of dropped) this.memory.delete(cenvId, p);
      if (refused) throw error;
      return;
    }
    const { render } = reply;
    const reads = reply.effects.reads.map((t) => t.toLowerCase());
    this.watch(cenvId, reads);
    if (render.error) {
      this.deps.onCacheEvent?.('render_failed');
      const where = render.error.line !== null ? ` (line ${render.error.line})` : '';
      const dropped = await this.deps.pools.use(cenvId, (db) => storeFailure(db, { ...base, templateVersion: render.version, error: render.error!.message + where, reads }, settings.page_cache_max_entries));
      for (const p of dropped) this.memory.delete(cenvId, p);
      return;
    }
    const etag = etagOf(reply.body);
    const record = { ...base, templateVersion: render.version, status: reply.status, html: reply.body, etag, reads, includes: render.includes };
    const dropped = await this.deps.pools.use(cenvId, (db) => storeRender(db, record, settings.page_cache_max_entries));
    for (const p of dropped) this.memory.delete(cenvId, p);
    this.memory.set(cenvId, path, { status: reply.status, body: Buffer.from(reply.body), etag, contentType: contentTypeHeader(match.route.contentType) });
  }

  close(): void {
    this.refresher.close();
  }

  /** Adds tables to the cenv's read-table set, if it is loaded (else the load will find them). */
  private watch(cenvId: string, tables: readonly string[]): void {
    const watched = this.watched.get(cenvId);
    if (watched) for (const t of tables) watched.tables.add(t);
  }

  private remember(cenvId: string, entry: CacheEntry, route: Match<Route>['route']): ServedPage {
    const page: ServedPage = { status: entry.status, body: Buffer.from(entry.html!), etag: entry.etag!, contentType: contentTypeHeader(route.contentType) };
    this.memory.set(cenvId, entry.path, page);
    return page;
  }

  /** `site.root` for templates: `/{name}` for a named cenv, else `/{id}`. */
  private async site(cenvId: string): Promise<{ root: string }> {
    const record = await this.deps.registry.resolve({ kind: 'id', id: cenvId });
    return { root: `/${record?.name ?? cenvId}` };
  }
}

/** What a visitor gets when a page has never rendered successfully. */
function failurePage(): ServedPage {
  const html = '<!doctype html>\n<meta charset="utf-8">\n<title>Page unavailable</title>\n<h1>This page could not be rendered</h1>\n' +
    '<p>Its owner can see why in the editor.</p>\n';
  return { status: 500, body: Buffer.from(html), etag: etagOf(html), contentType: contentTypeHeader('text/html') };
}
