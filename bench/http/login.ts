/**
 * Login throughput at the production bcrypt cost, and whether logins hold other requests up:
 * fixed-rate probes of `/health` and of an authenticated request, measured alone and again
 * while logins run. If hashing ran on the event loop, every probe that arrived during a hash
 * would wait for it, and the probes' p99 would approach one synchronous hash (printed for
 * reference). The authenticated probe also shows whether its work queues behind hashes
 * elsewhere (libuv's thread pool, shared by bcrypt and WebCrypto).
 */
import { hashSync } from '@node-rs/bcrypt';
import { best, measure, type Figures, type Load } from './load.ts';
import type { Fixture } from './setup.ts';

export interface LoginFigures {
  /** How long one cost-12 hash takes on this machine when run synchronously. */
  syncHashMs: number;
  login: Figures;
  /** [/health, authenticated], each alone. */
  alone: Figures[];
  /** [/health, authenticated], while logins run. */
  duringLogins: Figures[];
}

/** Probes light enough that their own queueing does not show in p99. */
const PROBE_RATE = 100;
export const LOGIN_CONNECTIONS = 4;

/** Best of 3, measured before any load so that no server is hashing at the same time. */
function syncHashMs(cost: number): number {
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    hashSync('reference password', { cost });
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

/** Probes alone run `seconds`; logins, and the probes beside them, run `loginSeconds`. */
export async function loginBench(url: string, fixture: Fixture, seconds: number, loginSeconds: number, runs: number): Promise<LoginFigures> {
  const { listed, logins } = fixture;
  const probes: Load[] = [
    { url: `${url}/health`, seconds, connections: 4, rate: PROBE_RATE },
    { url: `${url}/${listed.id}/sessions`, seconds, connections: 4, rate: PROBE_RATE, headers: { authorization: `Bearer ${listed.token}` } },
  ];
  const login: Load = {
    url: `${url}/${logins.id}/login`, seconds: loginSeconds, connections: LOGIN_CONNECTIONS, method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: logins.username, password: logins.password }),
  };
  const syncHash = syncHashMs(12);
  const alone = await best(probes, runs);
  let during: Figures[] | null = null;
  for (let i = 0; i < runs; i++) {
    const figures = await Promise.all([measure(login), ...probes.map((probe) => measure({ ...probe, seconds: loginSeconds }))]);
    // The better run is the one whose /health probe was least disturbed by other work.
    if (!during || figures[1].p99 < during[1].p99) during = figures;
  }
  return { syncHashMs: syncHash, login: during![0], alone, duringLogins: during!.slice(1) };
}
