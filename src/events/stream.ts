/**
 * One server-sent-events connection: writes events in the SSE format, a heartbeat comment
 * now and then (so proxies keep the connection and the client notices a dead one), and drops
 * a slow consumer — one whose unread bytes pass `maxBufferedBytes` — rather than buffering
 * for it without bound.
 *
 * @example
 *   const stream = new EventStream(reply.raw, { heartbeatMs: 15_000, maxBufferedBytes: 1 << 20 });
 *   stream.send({ id: '7', event: 'change', data: { table: 'posts', key: [1], row } });
 */
import type { ServerResponse } from 'node:http';

export interface StreamOptions { heartbeatMs: number; maxBufferedBytes: number }

export interface StreamEvent { id?: string; event: string; data: unknown }

export class EventStream {
  private readonly res: ServerResponse;
  private readonly options: StreamOptions;
  private readonly timer: NodeJS.Timeout;
  private readonly closeListeners: Array<(reason: string) => void> = [];
  closed = false;
  /** Events written since the stream opened. */
  sent = 0;

  constructor(res: ServerResponse, options: StreamOptions) {
    this.res = res;
    this.options = options;
    this.timer = setInterval(() => this.write(': ping\n\n'), options.heartbeatMs);
    this.timer.unref();
    res.on('close', () => this.close('client went away'));
    res.on('error', () => this.close('connection error'));
  }

  /** Runs `listener` once, when the stream closes for any reason. */
  onClose(listener: (reason: string) => void): void {
    if (this.closed) listener('closed');
    else this.closeListeners.push(listener);
  }

  send(event: StreamEvent): void {
    const id = event.id === undefined ? '' : `id: ${event.id}\n`;
    this.write(`${id}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
    this.sent++;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (!this.res.writableEnded) this.res.end();
    if (!this.res.destroyed && reason.startsWith('slow')) this.res.destroy();
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }

  private write(text: string): void {
    if (this.closed) return;
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      this.close(`slow consumer: more than ${this.options.maxBufferedBytes} bytes unread`);
      return;
    }
    this.res.write(text);
  }
}
