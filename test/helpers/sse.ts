/**
 * A server-sent-events client for tests: reads the stream as it arrives, keeps every event,
 * and waits for the next one that matches.
 */
import { readEventStream } from '../../src/tools/sse.ts';

export interface SseEvent { id: string | null; event: string; data: any }

export interface SseClient {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Resolves with the first event (from `from` on) that `match` accepts, or rejects after `ms`. */
  next(match: (event: SseEvent) => boolean, ms?: number, from?: number): Promise<SseEvent>;
  /** Waits `ms` and returns the events that arrived meanwhile. */
  quiet(ms: number): Promise<SseEvent[]>;
  close(): void;
}

export async function openEvents(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  if (response.ok && response.body) {
    void (async () => {
      try {
        for await (const event of readEventStream(response.body as unknown as AsyncIterable<Uint8Array>)) {
          events.push({ id: event.id, event: event.event, data: JSON.parse(event.data) });
          for (const wake of [...waiters]) wake();
        }
      } catch { /* aborted */ }
    })();
  }
  return {
    status: response.status, headers: response.headers, events,
    next(match, ms = 5000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find(match);
          if (!found) return false;
          waiters.delete(check as () => void);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check as () => void);
          reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events.slice(from))}`));
        }, ms);
        if (!check()) waiters.add(check as () => void);
      });
    },
    async quiet(ms) {
      const start = events.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return events.slice(start);
    },
    close() {
      controller.abort();
    },
  };
}
