/**
 * `GET /{cenv}/events?tables=posts,comments&channels=chat&snapshot=1`: server-sent events of
 * the committed changes the caller may see (src/events). Anonymous callers are welcome and
 * see what the `anonymous` role may select. Resumes after `Last-Event-ID` (the header, or
 * `?last_event_id=` for clients that cannot set it).
 *
 * Every check that can refuse (limits, table names, grants) happens before the stream opens,
 * so a refusal is an ordinary JSON error with its status.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ValidationError } from '../../errors.ts';
import { EventStream } from '../../events/stream.ts';
import { HEADERS_BY_KIND } from '../plugins/headers.ts';

const Query = Type.Object({
  tables: Type.Optional(Type.String({ maxLength: 2000 })),
  channels: Type.Optional(Type.String({ maxLength: 2000 })),
  snapshot: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
  last_event_id: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

const TABLE = /^[A-Za-z_][A-Za-z0-9_$]{0,127}$/;
const CHANNEL = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Rows each table's snapshot sends at most. */
export const SNAPSHOT_LIMIT = 500;
const HEARTBEAT_MS = 15_000;
const MAX_BUFFERED_BYTES = 1024 * 1024;

function list(text: string | undefined, pattern: RegExp, what: string): string[] {
  if (!text) return [];
  const items = [...new Set(text.split(',').map((item) => item.trim()).filter(Boolean))];
  if (items.length > 20) throw new ValidationError(`at most 20 ${what}`);
  const bad = items.find((item) => !pattern.test(item));
  if (bad !== undefined) throw new ValidationError(`"${bad.slice(0, 64)}" is not a valid ${what.slice(0, -1)} name`);
  return items;
}

export async function eventRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Static<typeof Query> }>('/events', { schema: { querystring: Query }, config: { access: 'anonymous', cors: true } }, async (request, reply) => {
    const { cenv, principal, ip, settings } = request.caller;
    const tables = list(request.query.tables, TABLE, 'tables');
    const channels = list(request.query.channels, CHANNEL, 'channels');
    if (tables.length === 0 && channels.length === 0) throw new ValidationError('name at least one table (?tables=posts) or channel (?channels=chat)');
    const header = request.headers['last-event-id'];
    const lastEventId = (typeof header === 'string' ? header : request.query.last_event_id) ?? null;
    const limits = { perCenv: settings.events_max_subscribers_per_cenv, perUser: settings.events_max_subscribers_per_user };
    app.deps.events.registry.admit(cenv.id, principal, ip, limits);
    // Refuses a table the caller may not read (403) or that does not exist (400), as JSON.
    const checked = await app.deps.events.check(cenv.id, principal, tables, request.query.snapshot === '1' ? SNAPSHOT_LIMIT : 0);
    reply.hijack();
    reply.raw.writeHead(200, {
      ...HEADERS_BY_KIND.api,
      'x-request-id': request.id,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const stream = new EventStream(reply.raw, { heartbeatMs: HEARTBEAT_MS, maxBufferedBytes: MAX_BUFFERED_BYTES });
    try {
      const subscriber = app.deps.events.registry.add(cenv.id, principal, ip, stream, { tables, channels }, limits);
      app.deps.events.start(subscriber, request.query.snapshot === '1' ? checked : null, lastEventId);
    } catch (error) {
      stream.send({ event: 'error', data: { message: (error as Error).message } });
      stream.close('refused');
    }
  });
}
