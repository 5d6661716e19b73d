/**
 * Foundation benchmark: WCE against a bare `node:http` server doing the same work, for
 * `GET /health` and an authenticated `GET /{cenv}/sessions`; then login throughput at bcrypt
 * cost 12 and `/health` latency while logins run; then WCE again at the default log level.
 * Prints Markdown for bench/RESULTS.md.
 *
 *   npm run bench                      # every bench
 *   npx node bench/http/run.ts         # this one
 *
 * Environment: BENCH_SECONDS (per measurement, default 5), BENCH_RUNS (default 2; the best
 * run is kept).
 */
import { rmSync } from 'node:fs';
import { startBare, startWce, type ServerProcess } from './processes.ts';
import { best, formatRow, TABLE_HEAD, type Figures } from './load.ts';
import { LOGIN_CONNECTIONS, loginBench } from './login.ts';
import { machine } from './machine.ts';
import { createFixture, createWorkspace } from './setup.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const CONNECTIONS = 10;
/** Long enough for a few dozen cost-12 logins on 2 cores. */
const LOGIN_SECONDS = Math.round(SECONDS * 1.6);

interface Pair { health: Figures; sessions: Figures }

/** `/health` and the authenticated request on each server, the servers taking turns. */
async function compare(servers: ServerProcess[], cenvId: string, token: string): Promise<Pair[]> {
  const health = await best(servers.map((s) => ({ url: `${s.url}/health`, seconds: SECONDS, connections: CONNECTIONS })), RUNS);
  const sessions = await best(servers.map((s) => ({
    url: `${s.url}/${cenvId}/sessions`, seconds: SECONDS, connections: CONNECTIONS, headers: { authorization: `Bearer ${token}` },
  })), RUNS);
  return servers.map((_, i) => ({ health: health[i], sessions: sessions[i] }));
}

function print(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  print([`Machine: ${machine()}`, `Each figure: best of ${RUNS} runs of ${SECONDS} s, ${CONNECTIONS} keep-alive connections unless noted.`]);
  const space = createWorkspace();
  let wce = await startWce(space, 'warn');
  let bare: ServerProcess | null = null;
  try {
    const fixture = await createFixture(wce.url);
    const { listed } = fixture;
    bare = await startBare(space, listed.id);
    const [wceWarn, bareFigures] = await compare([wce, bare], listed.id, listed.token);
    await bare.stop();
    print([
      '### WCE vs bare node:http (WCE_LOG_LEVEL=warn)', '', TABLE_HEAD,
      formatRow('bare GET /health', bareFigures.health),
      formatRow('WCE GET /health', wceWarn.health, bareFigures.health),
      formatRow('bare GET /{cenv}/sessions (bearer)', bareFigures.sessions),
      formatRow('WCE GET /{cenv}/sessions (bearer)', wceWarn.sessions, bareFigures.sessions),
    ]);

    const login = await loginBench(wce.url, fixture, SECONDS, LOGIN_SECONDS, RUNS);
    print([
      `### Login at bcrypt cost 12 (${LOGIN_CONNECTIONS} connections, ${LOGIN_SECONDS} s), and probes at 100 req/s each, alone and during logins`, '',
      `One synchronous cost-12 hash here: ${login.syncHashMs.toFixed(0)} ms (what a probe's p99 would approach if bcrypt blocked the event loop).`, '',
      '| case | req/s | p50 ms | p99 ms | max ms | |', '|---|---:|---:|---:|---:|---:|',
      formatRow('POST /{cenv}/login', login.login),
      formatRow('GET /health alone', login.alone[0]),
      formatRow('GET /health while logins run', login.duringLogins[0]),
      formatRow('GET /{cenv}/sessions (bearer) alone', login.alone[1]),
      formatRow('GET /{cenv}/sessions (bearer) while logins run', login.duringLogins[1]),
    ]);

    await wce.stop();
    wce = await startWce(space, null);
    const [wceInfo] = await compare([wce], listed.id, listed.token);
    print([
      '### WCE at the default log level (info: one JSON line per request, to a file)', '', TABLE_HEAD,
      formatRow('WCE GET /health (info)', wceInfo.health, bareFigures.health),
      formatRow('WCE GET /{cenv}/sessions (info)', wceInfo.sessions, bareFigures.sessions),
    ]);
  } finally {
    await bare?.stop();
    await wce.stop();
    rmSync(space.dir, { recursive: true, force: true });
  }
}

await main();
