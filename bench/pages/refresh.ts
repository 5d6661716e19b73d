/**
 * Commit to refreshed page: N cached pages read one table; one `POST /{cenv}/sql` writes it;
 * the clock runs from sending the commit until every one of the N pages has a new ETag in
 * the page cache (polled through `GET /{cenv}/admin/pages` every few milliseconds, which
 * adds a little load of its own). Beside it, in the same run: the commit's own round trip,
 * and one render on request (the preview API: the same sandbox hop and query, nothing stored)
 * — what a render-per-request server pays on every visit instead.
 */
import { performance } from 'node:perf_hooks';
import { bearer, request } from '../../test/helpers/server.ts';
import type { Site } from './site.ts';

export interface RefreshFigures { pages: number; refreshMs: number[]; commitMs: number[] }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function call(url: string, site: Site, path: string, body?: unknown): Promise<any> {
  const response = await request(`${url}/${site.name}${path}`, { method: body === undefined ? 'GET' : 'POST', body, headers: bearer(site.token) });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

async function etags(url: string, site: Site, prefix: string): Promise<Map<string, string>> {
  const { pages } = await call(url, site, '/admin/pages') as { pages: Array<{ path: string; etag: string }> };
  return new Map(pages.filter((p) => p.path.startsWith(prefix)).map((p) => [p.path, p.etag]));
}

/** Sets up `n` dependent pages (table dep{n}, template d{n}/:id) and measures `repeats` commits. */
export async function refreshBench(url: string, site: Site, n: number, repeats: number): Promise<RefreshFigures> {
  const table = `dep${n}`;
  const prefix = `d${n}/`;
  await call(url, site, '/sql', { sql: `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)` });
  await call(url, site, '/sql', { sql: `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n}) INSERT INTO ${table} SELECT i, 0 FROM c` });
  await call(url, site, '/admin/permissions', { table, role: 'anonymous', operations: ['select'] });
  await call(url, site, '/admin/templates', {
    path: `d${n}/:id`, source: '<p>item {{ item.id }}: {{ item.n }}</p>',
    queries: { item: { sql: `SELECT id, n FROM ${table} WHERE id = :id`, first: true, required: true } },
  });
  for (let i = 1; i <= n; i++) await fetch(`${url}/${site.name}/pages/${prefix}${i}`).then((r) => r.arrayBuffer());
  const figures: RefreshFigures = { pages: n, refreshMs: [], commitMs: [] };
  for (let r = 0; r < repeats; r++) {
    const before = await etags(url, site, prefix);
    if (before.size !== n) throw new Error(`expected ${n} cached pages under ${prefix}, found ${before.size}`);
    const started = performance.now();
    await call(url, site, '/sql', { sql: `UPDATE ${table} SET n = n + 1` });
    figures.commitMs.push(performance.now() - started);
    for (;;) {
      const now = await etags(url, site, prefix);
      if ([...before].every(([path, etag]) => now.get(path) !== etag)) break;
      if (performance.now() - started > 60_000) throw new Error(`pages under ${prefix} did not refresh within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    figures.refreshMs.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return figures;
}

/** Median round trip of one render on request (the preview API), `repeats` times. */
export async function renderOnRequestMs(url: string, site: Site, repeats: number): Promise<number> {
  const body = {
    path: 'd1/:id', params: { id: '1' }, source: '<p>item {{ item.id }}: {{ item.n }}</p>',
    queries: { item: { sql: 'SELECT id, n FROM dep1 WHERE id = :id', first: true } },
  };
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await call(url, site, '/admin/templates/preview', body);
    times.push(performance.now() - started);
  }
  return median(times);
}

export { median };
