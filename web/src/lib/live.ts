/**
 * Live changes of this cenv's tables, from `GET /{cenv}/events` (server-sent events; docs/api.md
 * "Live changes"): every committed change to the listed tables that the signed-in user may
 * see. EventSource sends the session cookie (same origin) and reconnects by itself with
 * `Last-Event-ID`; the hook reports whether the stream is live. When the server ends the
 * stream because the session ended, the page goes to the login.
 *
 * @example const status = useLiveTables(['posts'], (change) => reload());
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { loginUrl } from './api.ts';
import { cenvPath } from './boot.ts';

export interface LiveChange {
  /** `change` (insert/update), `leave` (a row gone or hidden), `reload` (rows that cannot be named), `reset`. */
  event: 'change' | 'leave' | 'reload' | 'reset' | 'revoked';
  table?: string;
  op?: 'insert' | 'update';
  key?: unknown[];
}

export type LiveStatus = 'off' | 'connecting' | 'live' | 'retrying' | 'failed';

/** The events route takes at most 20 tables, named like SQL identifiers. */
const NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,127}$/;
export const MAX_LIVE_TABLES = 20;

export function liveTables(tables: string[]): string[] {
  return tables.filter((t) => NAME.test(t)).slice(0, MAX_LIVE_TABLES);
}

export function useLiveTables(tables: string[], onChange: (change: LiveChange) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('off');
  const callback = useRef(onChange);
  callback.current = onChange;
  const list = liveTables(tables).join(',');

  useEffect(() => {
    if (!list || typeof EventSource === 'undefined') { setStatus('off'); return; }
    setStatus('connecting');
    const source = new EventSource(cenvPath(`/events?tables=${encodeURIComponent(list)}`));
    source.addEventListener('ready', () => setStatus('live'));
    source.addEventListener('error', () => setStatus(source.readyState === EventSource.CLOSED ? 'failed' : 'retrying'));
    // The session this page runs on is over (logged out elsewhere, revoked, expired): to the
    // login, as any request of the page would on its 401, instead of reconnecting in vain.
    source.addEventListener('ended', () => {
      source.close();
      location.assign(loginUrl(true));
    });
    for (const event of ['change', 'leave', 'reload', 'reset', 'revoked'] as const) {
      source.addEventListener(event, (message) => {
        let data: Record<string, unknown> = {};
        try { data = JSON.parse((message as MessageEvent<string>).data) as Record<string, unknown>; } catch { /* an event without data still counts */ }
        callback.current({ event, table: data.table as string | undefined, op: data.op as LiveChange['op'], key: data.key as unknown[] | undefined });
      });
    }
    return () => source.close();
  }, [list]);

  return status;
}
