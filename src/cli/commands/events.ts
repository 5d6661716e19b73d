/**
 * `wce events TABLE[,TABLE…]`: the cenv's live changes in the terminal, as the logged-in user
 * may see them (GET /{cenv}/events): `insert posts [1] {…}`, `leave posts [3]`, and the
 * stream's notices (reload, revoked, reset). `--snapshot` first prints the visible rows.
 * A dropped connection is resumed with the last event's id, so nothing is missed. JSON lines
 * when piped. Ctrl+C stops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, TARGET, TARGET_HELP, type Command } from '../args.ts';
import { Client, CliError, EXIT, UsageError } from '../client.ts';
import { note, wantsJson } from '../output.ts';
import { readEventStream } from '../../tools/sse.ts';

const USAGE = `Usage: wce events TABLES [--channels C1,C2] [--snapshot] [--json | --text]

Prints the committed changes to TABLES (comma-separated) as they happen, as you may see them:
your grants and row policies apply, so a row you could not select never shows, and a row
that stops being visible prints as "leave". Ctrl+C stops.

      --channels LIST    also messages endpoints publish on these channels (events.publish)
      --snapshot         first print the rows you can see now
      --json             one JSON object per event (the default when piped)
      --text             the readable lines, even when piped
${TARGET_HELP}`;

function describe(event: string, data: Record<string, unknown>): string {
  const key = JSON.stringify(data.key ?? null);
  switch (event) {
    case 'ready': return `listening to ${[...(data.tables as string[]), ...(data.channels as string[]).map((c) => `channel ${c}`)].join(', ')}`;
    case 'snapshot': return `${data.table}: ${(data.rows as unknown[]).length} rows now${data.truncated ? ' (the first 500)' : ''}\n${(data.rows as Array<{ key: unknown; row: unknown }>).map((r) => `  ${JSON.stringify(r.key)} ${JSON.stringify(r.row)}`).join('\n')}`;
    case 'change': return `${data.op} ${data.table} ${key} ${JSON.stringify(data.row)}`;
    case 'leave': return `leave ${data.table} ${key}`;
    case 'message': return `message ${data.channel} ${JSON.stringify(data.value)}`;
    default: return `${event} ${JSON.stringify(data)}`;
  }
}

export const eventsCommand: Command = {
  name: 'events',
  summary: 'live changes to tables, as you may see them',
  usage: USAGE,
  async run(argv) {
    const args = parse(argv, { ...TARGET, channels: { type: 'string' }, snapshot: { type: 'boolean' }, json: { type: 'boolean' }, text: { type: 'boolean' } }, USAGE);
    if (!args) return;
    const [tables, ...rest] = args.positionals;
    if ((!tables && !args.values.channels) || rest.length > 0) throw new UsageError(`name the tables (comma-separated) or --channels\n${USAGE.split('\n')[0]}`);
    const client = Client.forCenv(args.values);
    const json = wantsJson({ json: args.values.json, table: args.values.text });
    const query = new URLSearchParams();
    if (tables) query.set('tables', tables);
    if (args.values.channels) query.set('channels', args.values.channels);
    if (args.values.snapshot) query.set('snapshot', '1');
    let lastId: string | null = null;
    let listening = false;
    for (let closes = 0; ; closes++) {
      const headers: Record<string, string> = { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) };
      let response: Response;
      try {
        response = await client.fetch('GET', `/events?${query}`, { headers });
      } catch (error) {
        // Not there (yet): a restarting server. Keep trying for a while, then give up saying so.
        if (!(error instanceof CliError && error.exitCode === EXIT.unreachable) || !listening || closes >= 30) throw error;
        await sleep(1000);
        continue;
      }
      if (!response.ok || !response.body) await client.read(response); // throws the server's error
      for await (const event of readEventStream(response.body! as unknown as AsyncIterable<Uint8Array>)) {
        closes = 0;
        const data = JSON.parse(event.data) as Record<string, unknown>;
        if (event.id) lastId = event.id;
        // Nothing changed yet: resume from where the stream started (a server that no longer
        // knows that point says "reset", so the change in between is not silently lost).
        else if (event.event === 'ready' && typeof data.last_event_id === 'string') lastId ??= data.last_event_id;
        if (json) process.stdout.write(`${JSON.stringify({ event: event.event, ...(event.id ? { id: event.id } : {}), data })}\n`);
        else if (event.event !== 'ready' || !listening) process.stdout.write(`${describe(event.event, data)}\n`);
        if (event.event === 'ready') listening = true;
        if (event.event === 'snapshot') query.delete('snapshot'); // once, not again on a resume
      }
      // The server closed the stream (a restart; a reader too slow is dropped): resume after
      // the last event, so nothing in between is missed.
      if (closes >= 30) throw new CliError('the event stream keeps closing; is the server up?');
      note('the stream closed; resuming…');
      await sleep(1000);
    }
  },
};
