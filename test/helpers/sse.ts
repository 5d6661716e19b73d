/**
 * A server-sent-events client for tests: reads the stream as it arrives, keeps every event,
 * and waits for the next one that matches.
 */
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
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields: Record<string, string> = {};
            for (const line of frame.split('\n')) {
              if (line.startsWith(':')) continue;
              const at = line.indexOf(': ');
              if (at > 0) fields[line.slice(0, at)] = line.slice(at + 2);
            }
            if (!fields.event) continue;
            events.push({ id: fields.id ?? null, event: fields.event, data: JSON.parse(fields.data ?? 'null') });
            for (const wake of [...waiters]) wake();
          }
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
