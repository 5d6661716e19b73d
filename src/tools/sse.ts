/**
 * Reading a server-sent events stream (the text/event-stream format): the events of a
 * response body as they arrive, split on blank lines; comment lines (`: ping`) skipped, data
 * lines joined. Used by `wce events` and by the tests that subscribe to `GET /{cenv}/events`.
 *
 * @example for await (const event of readEventStream(response.body)) console.log(event.event, JSON.parse(event.data));
 */

export interface StreamedEvent {
  /** The `id:` field, when the event had one. */
  id: string | null;
  /** The `event:` field; `message` when absent, as in EventSource. */
  event: string;
  data: string;
}

export async function* readEventStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<StreamedEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: StreamedEvent = { id: null, event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') event.data += (event.data ? '\n' : '') + value;
      }
      if (event.data) yield event;
    }
  }
}
