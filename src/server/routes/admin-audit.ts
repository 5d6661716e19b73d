/**
 * `GET /{cenv}/admin/audit` (owner and admins): the audit log, filtered by `user` (id or
 * username), `action`, `table`, `since`, `until` (ISO times), newest first, `limit` entries
 * a page (1–1000, default 100) → `{entries, next_cursor}`; pass `cursor` to continue.
 * `?format=csv|json` streams the whole filtered log as a download instead, a page of 1000
 * at a time, each its own short lease (no long transaction, however large the log).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AUDIT_COLUMNS, auditPage, type AuditEntryRecord, type AuditFilter } from '../../db/audit-query.ts';
import { ValidationError } from '../../errors.ts';
import { csvLine } from '../../tools/csv.ts';
import { attachment } from '../download.ts';

const Text = Type.String({ minLength: 1, maxLength: 512 });
const Query = Type.Object({
  user: Type.Optional(Text),
  action: Type.Optional(Text),
  table: Type.Optional(Text),
  since: Type.Optional(Type.String({ maxLength: 64 })),
  until: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })),
  cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
}, { additionalProperties: false });
type QueryT = Static<typeof Query>;

const DOWNLOAD_PAGE = 1000;

/** An ISO time in the form the log stores (`…T…:…:….sssZ`), or a 400 naming the parameter. */
function time(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw new ValidationError(`${name} must be an ISO time like 2026-01-31T12:00:00Z`);
  return new Date(ms).toISOString();
}

function filterOf(query: QueryT): AuditFilter {
  return { user: query.user, action: query.action, table: query.table, since: time('since', query.since), until: time('until', query.until) };
}

function csvOf(entry: AuditEntryRecord): string {
  const detail = entry.detail === null ? null : typeof entry.detail === 'string' ? entry.detail : JSON.stringify(entry.detail);
  return csvLine(AUDIT_COLUMNS.map((column) => (column === 'detail' ? detail : entry[column])));
}

export async function adminAuditRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: QueryT }>('/admin/audit', { schema: { querystring: Query }, config: { access: 'admin' } }, async (request, reply) => {
    const { cenv } = request.caller;
    const filter = filterOf(request.query);
    const read = (before: number | null, limit: number) => app.deps.pools.use(cenv.id, (db) => auditPage(db, filter, limit, before));
    const format = request.query.format;
    if (format === undefined) {
      const limit = Math.min(1000, Number(request.query.limit ?? 100));
      const page = await read(request.query.cursor ? Number(request.query.cursor) : null, limit);
      return { entries: page.entries, next_cursor: page.nextCursor === null ? null : String(page.nextCursor) };
    }
    async function* lines(): AsyncGenerator<string> {
      yield format === 'csv' ? csvLine(AUDIT_COLUMNS) : '[';
      let before: number | null = null;
      let first = true;
      do {
        const page = await read(before, DOWNLOAD_PAGE);
        let chunk = '';
        for (const entry of page.entries) {
          chunk += format === 'csv' ? csvOf(entry) : `${first ? '\n' : ',\n'}${JSON.stringify(entry)}`;
          first = false;
        }
        if (chunk) yield chunk;
        before = page.nextCursor;
      } while (before !== null);
      if (format === 'json') yield '\n]\n';
    }
    attachment(reply, cenv, 'audit', format);
    reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    return reply.send(Readable.from(lines()));
  });
}
