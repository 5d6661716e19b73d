/**
 * Data engine benchmark: `POST /{cenv}/sql` on a PocketBase-style data set (100,000 posts,
 * 500 users, the row policy `author = $user_id`), against a bare `node:http` + `node:sqlite`
 * server running the same SQL on the same file. Three cases, as the signed-in user `user42`:
 * get one post by id, list 20 of the caller's posts (newest first), create a post.
 * Prints Markdown for bench/RESULTS.md.
 *
 *   npm run bench -- data              # this bench through the runner
 *   npx node bench/data/run.ts         # directly
 *
 * Environment: BENCH_SECONDS (per measurement, default 5), BENCH_RUNS (default 2; the best
 * run is kept), BENCH_CONNECTIONS (default 32), BENCH_LOADER (wrk when installed, else autocannon).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { freePort, startServer, startWce, type ServerProcess } from '../http/processes.ts';
import { best, formatRow, LOADER, TABLE_HEAD_CPU, type Load } from '../http/load.ts';
import { machine } from '../http/machine.ts';
import { createWorkspace } from '../http/setup.ts';
import { createDataSet, POSTS, USERS, type DataSet } from './dataset.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Case { name: string; wce: { sql: string; params: unknown[] }; bare: { sql: string; params: unknown[] }; pocketbase?: number }

function cases(data: DataSet): Case[] {
  const me = data.user.id;
  const post = ['New post', 'A body of a new post.', '2026-11-26T00:00:00.000Z'];
  return [
    {
      name: 'get one post by id', pocketbase: 2640,
      wce: { sql: 'SELECT id, author, title, body, created FROM posts WHERE id = ?', params: [data.postId] },
      bare: { sql: 'SELECT id, author, title, body, created FROM posts WHERE id = ? AND author = ?', params: [data.postId, me] },
    },
    {
      name: 'list 20 posts of the caller', pocketbase: 1130,
      wce: { sql: 'SELECT id, title, created FROM posts ORDER BY id DESC LIMIT 20', params: [] },
      bare: { sql: 'SELECT id, title, created FROM posts WHERE author = ? ORDER BY id DESC LIMIT 20', params: [me] },
    },
    {
      name: 'create a post',
      wce: { sql: 'INSERT INTO posts (author, title, body, created) VALUES (?, ?, ?, ?)', params: [me, ...post] },
      bare: { sql: 'INSERT INTO posts (author, title, body, created) VALUES (?, ?, ?, ?)', params: [me, ...post] },
    },
  ];
}

/** One request of each kind first: a bench that measures 400s would be worthless. */
async function check(url: string, headers: Record<string, string>, body: object, rows: number): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const reply = await response.json() as { rows?: unknown[]; changes?: number };
  const got = reply.rows?.length === 0 ? reply.changes : reply.rows?.length;
  if (!response.ok || got !== rows) throw new Error(`${url} ${JSON.stringify(body)} → ${response.status} ${JSON.stringify(reply).slice(0, 300)}`);
}

function print(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  print([`Machine: ${machine()}`, `Each figure: best of ${RUNS} runs of ${SECONDS} s, ${CONNECTIONS} keep-alive connections (${LOADER}); ${POSTS} posts, ${USERS} users.`]);
  const space = createWorkspace();
  const wce = await startWce(space, 'warn');
  let bare: ServerProcess | null = null;
  try {
    const data = await createDataSet(wce.url, space.dataDir);
    const port = await freePort();
    bare = await startServer(path.join(import.meta.dirname, 'bare-server.ts'), port, { BARE_PORT: String(port), BARE_DB: data.file }, path.join(space.dir, 'bare.log'));
    const wceUrl = `${wce.url}/${data.cenvId}/sql`;
    const bareUrl = `${bare.url}/sql`;
    const auth = { authorization: `Bearer ${data.user.token}` };
    const json = { 'content-type': 'application/json' };
    const lines = [TABLE_HEAD_CPU.replace('| WCE/bare req/s |', '| WCE/bare req/s | PocketBase req/s |').replace(/\|---:\|$/, '|---:|---:|')];
    for (const c of cases(data)) {
      const expected = c.name.startsWith('list') ? 20 : 1;
      await check(wceUrl, auth, c.wce, expected);
      await check(bareUrl, {}, c.bare, expected);
      const loads: Load[] = [
        { url: wceUrl, seconds: SECONDS, connections: CONNECTIONS, method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify(c.wce), pid: wce.child.pid },
        { url: bareUrl, seconds: SECONDS, connections: CONNECTIONS, method: 'POST', headers: json, body: JSON.stringify(c.bare), pid: bare.child.pid },
      ];
      const [w, b] = await best(loads, RUNS);
      const pb = c.pocketbase ? ` ${c.pocketbase} |` : ' |';
      lines.push(`${formatRow(`bare: ${c.name}`, b)} |`, `${formatRow(`WCE: ${c.name}`, w, b)}${pb}`);
    }
    print(['### WCE `POST /{cenv}/sql` as a signed-in user vs bare node:http + node:sqlite (WCE_LOG_LEVEL=warn)', '', ...lines]);
  } finally {
    await bare?.stop();
    await wce.stop();
    rmSync(space.dir, { recursive: true, force: true });
  }
}

await main();
