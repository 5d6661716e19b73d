/**
 * Which cached pages a commit makes stale, decided from the commit-event bus. Exact by
 * design: a page is re-rendered only when a table it read was written (or its template,
 * or a template it included, changed); every other page keeps its `rendered_at`.
 *
 * | event | pages re-rendered |
 * |---|---|
 * | `data` (SQL API, endpoints) and `access` (grants, policies) naming tables | those that read one of the tables |
 * | `data` with a write of unknown table, `access` naming no table | all of the cenv's |
 * | `access` whose `roles` do not include `anonymous` (another role's grant, a user's role) | none |
 * | `templates` | those whose template or an included template changed; pages no template serves any more are dropped |
 * | `import` (the file was replaced) | all, after forgetting what memory held |
 *
 * The listener only looks things up and marks pages; rendering happens later in the
 * Refresher, so a writer never waits for it (the bus runs listeners after the reply anyway).
 *
 * @example const off = subscribePages(deps.bus, deps.pages);
 */
import type { CommitBus, CommitEvent } from '../db/commit-bus.ts';
import type { PageService } from './service.ts';

/** Lower-case names of the written tables, or null when some write's table is unknown. */
function writtenTables(event: CommitEvent): string[] | null {
  if (event.writes.some((w) => w.table === null)) return null;
  return [...new Set(event.writes.map((w) => w.table!.toLowerCase()))];
}

/**
 * Re-renders the pages of a cenv whose template (or an included template) is no longer the
 * version they were rendered from, and drops those that no enabled template serves.
 */
export async function reconcile(pages: PageService, cenvId: string): Promise<void> {
  pages.forget(cenvId);
  const [table, versions, entries] = await Promise.all([pages.routeTable(cenvId), pages.templateVersions(cenvId), pages.list(cenvId)]);
  const gone: string[] = [];
  const stale: string[] = [];
  for (const entry of entries) {
    const match = table.match(entry.path);
    if (!match) {
      gone.push(entry.path);
      continue;
    }
    const includesChanged = Object.entries(entry.includes).some(([id, version]) => versions.get(Number(id)) !== version);
    if (match.route.id !== entry.templateId || match.route.version !== entry.templateVersion || includesChanged) stale.push(entry.path);
  }
  await pages.drop(cenvId, gone);
  pages.refresher.mark(cenvId, stale);
}

/** What one commit event means for the cenv's pages. */
export async function onCommit(pages: PageService, event: CommitEvent): Promise<void> {
  const { cenvId } = event;
  switch (event.kind) {
    case 'data':
    case 'access': {
      // Pages render as anonymous: a change to other roles' grants or policies is no change here.
      if (event.kind === 'access' && event.roles && !event.roles.includes('anonymous')) return;
      const tables = writtenTables(event);
      if (tables === null || (event.kind === 'access' && tables.length === 0)) {
        await pages.refreshAll(cenvId);
        return;
      }
      if (tables.length === 0 || !(await pages.readsAny(cenvId, tables))) return;
      pages.refresher.mark(cenvId, await pages.pathsReading(cenvId, tables));
      return;
    }
    case 'templates':
      await reconcile(pages, cenvId);
      return;
    case 'import':
      pages.forgetAll(cenvId);
      await pages.refreshAll(cenvId);
      return;
    default:
      // users, config, endpoints: nothing a page rendered as anonymous depends on.
      return;
  }
}

/** Subscribes page invalidation to the bus; returns the unsubscribe function. */
export function subscribePages(bus: CommitBus, pages: PageService): () => void {
  return bus.subscribe((event) => onCommit(pages, event));
}
