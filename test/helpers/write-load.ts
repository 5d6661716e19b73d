/**
 * A write load for cluster tests and benches: one worker per cenv inserting increasing
 * sequence numbers through a URL (HAProxy), recording every attempt — when it started and
 * ended, its status and which node served it under which fencing token
 * (`x-wce-served-by`). Afterwards the records answer: which acknowledged writes were lost,
 * how long each cenv could not write, and whether any cenv was ever served under an older
 * token after a newer one had answered.
 *
 * @example
 *   const load = startWriteLoad(url, cenvs, { pauseMs: 100 });
 *   …
 *   await load.stop();
 *   const lost = await load.lostWrites(url);
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer, request } from './server.ts';

export interface LoadCenv { id: string; token: string }

export interface Attempt {
  seq: number;
  start: number;
  end: number;
  status: number;
  /** `{node}@{fencing token}` of the answer, or null. */
  servedBy: string | null;
}

export interface WriteLoad {
  attempts: Map<string, Attempt[]>;
  stop(): Promise<void>;
  /** Sequence numbers acknowledged (2xx) but missing from the cenv now. */
  lostWrites(url: string): Promise<Map<string, Attempt[]>>;
}

/** Creates the table the load writes to (through `url`). */
export async function prepareLoadTable(url: string, cenv: LoadCenv): Promise<void> {
  const res = await request(`${url}/${cenv.id}/sql`, { headers: bearer(cenv.token), body: { sql: 'CREATE TABLE IF NOT EXISTS load (seq INTEGER PRIMARY KEY)' } });
  if (res.status !== 200) throw new Error(`cannot create the load table: ${res.status} ${JSON.stringify(res.body)}`);
}

export function startWriteLoad(url: string, cenvs: LoadCenv[], options: { pauseMs?: number; timeoutMs?: number } = {}): WriteLoad {
  const attempts = new Map<string, Attempt[]>(cenvs.map((cenv) => [cenv.id, []]));
  let running = true;
  // Sequence numbers unique across loads on the same cenvs (a second load must not collide).
  const base = Date.now() * 1000;
  const workers = cenvs.map(async (cenv, index) => {
    await sleep((index * 37) % 100);
    for (let seq = base + 1; running; seq++) {
      const start = performance.now();
      let status = 0;
      let servedBy: string | null = null;
      try {
        const response = await fetch(`${url}/${cenv.id}/sql`, {
          method: 'POST', headers: { ...bearer(cenv.token), 'content-type': 'application/json' },
          body: JSON.stringify({ sql: 'INSERT INTO load (seq) VALUES (?)', params: [seq] }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
        });
        await response.arrayBuffer();
        status = response.status;
        servedBy = response.headers.get('x-wce-served-by');
      } catch {
        status = 0;
      }
      attempts.get(cenv.id)!.push({ seq, start, end: performance.now(), status, servedBy });
      await sleep(status >= 200 && status < 300 ? options.pauseMs ?? 100 : 200);
    }
  });
  return {
    attempts,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
    async lostWrites(readUrl) {
      const lost = new Map<string, Attempt[]>();
      for (const cenv of cenvs) {
        // One row holding every sequence number: no row limit applies.
        const res = await request(`${readUrl}/${cenv.id}/sql`, { headers: bearer(cenv.token), body: { sql: 'SELECT group_concat(seq) FROM load' } });
        if (res.status !== 200) throw new Error(`cannot read back cenv ${cenv.id}: ${res.status} ${JSON.stringify(res.body)}`);
        const present = new Set(String(res.body.rows[0][0] ?? '').split(',').filter(Boolean).map(Number));
        lost.set(cenv.id, attempts.get(cenv.id)!.filter((a) => a.status >= 200 && a.status < 300 && !present.has(a.seq)));
      }
      return lost;
    },
  };
}

/** Successful attempts only. */
export function acknowledged(list: Attempt[]): Attempt[] {
  return list.filter((a) => a.status >= 200 && a.status < 300);
}

/** The longest time between two acknowledged writes (or from `from` to the first). */
export function longestGap(list: Attempt[], from: number, to: number): number {
  let last = from;
  let gap = 0;
  for (const attempt of acknowledged(list)) {
    if (attempt.end < from) continue;
    if (attempt.end > to) break;
    gap = Math.max(gap, attempt.end - last);
    last = attempt.end;
  }
  return Math.max(gap, to - last);
}

/**
 * Fencing, from the client's side: once an answer under token T has arrived, no request
 * sent afterwards may be answered under a token older than T, and one token always names
 * the same node. Returns the violations (empty when none).
 */
export function fencingViolations(list: Attempt[]): string[] {
  const answered = acknowledged(list).filter((a) => a.servedBy).map((a) => {
    const [node, token] = a.servedBy!.split('@');
    return { ...a, node, token: BigInt(token) };
  });
  const problems: string[] = [];
  const nodeOf = new Map<bigint, string>();
  for (const a of answered) {
    const known = nodeOf.get(a.token);
    if (known && known !== a.node) problems.push(`token ${a.token} served by ${known} and ${a.node}`);
    nodeOf.set(a.token, a.node);
  }
  const byEnd = [...answered].sort((x, y) => x.end - y.end);
  let i = 0;
  let newest = -1n;
  for (const a of [...answered].sort((x, y) => x.start - y.start)) {
    while (i < byEnd.length && byEnd[i].end < a.start) newest = newest > byEnd[i].token ? newest : byEnd[i++].token;
    if (a.token < newest) problems.push(`seq ${a.seq} answered under token ${a.token} after token ${newest} had answered`);
  }
  return problems;
}

/** Acknowledged writes over all cenvs of a load. */
export function acknowledgedCount(load: WriteLoad): number {
  return [...load.attempts.values()].reduce((sum, list) => sum + acknowledged(list).length, 0);
}

/** Fencing violations over all cenvs of a load, each prefixed with its cenv. */
export function allFencingViolations(load: WriteLoad): string[] {
  return [...load.attempts].flatMap(([id, list]) => fencingViolations(list).map((problem) => `${id}: ${problem}`));
}
