/**
 * Endpoints benchmark: Starlark endpoints served by a real WCE process against a bare
 * `node:http` (+ `node:sqlite`) server doing the same work, measured in the same run:
 *
 * 1. hello world: `GET /{cenv}/api/hello` (public, returns "hello") vs a bare "hello";
 * 2. get one post: `GET /{cenv}/api/posts/:id` as the signed-in `user42` (a script doing one
 *    `db.query_one` under the row policy `author = $user_id`, on the data bench's 100,000
 *    posts) vs the bare server running the same SELECT on the same file; and, for reference,
 *    the same SELECT through `POST /{cenv}/sql` (what Starlark adds to the sandbox hop).
 *
 * Besides requests/s, each row has the server's CPU time per request (its whole process
 * tree), which a busy shared machine disturbs far less than throughput.
 *
 *   npm run bench -- endpoints        # through the runner
 *   npx node bench/endpoints/run.ts   # directly
 *
 * Environment: BENCH_SECONDS (per measurement, default 5), BENCH_RUNS (default 2; the best
 * run is kept), BENCH_CONNECTIONS (default 10). Prints Markdown for bench/RESULTS.md.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { freePort, startServer, startWce, type ServerProcess } from '../http/processes.ts';
import { best, formatRow, LOADER, TABLE_HEAD_CPU, type Figures, type Load } from '../http/load.ts';
import { machine } from '../http/machine.ts';
import { createWorkspace } from '../http/setup.ts';
import { createDataSet } from '../data/dataset.ts';
import { bearer, login, request } from '../../test/helpers/server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const HELLO = 'def handle(req):\n    return "hello"\n';
const GET_POST = `def handle(req):
    post = db.query_one("SELECT id, author, title, body, created FROM posts WHERE id = ?", int(req.params["id"]))
    if post == None:
        return response(status=404, json={"error": "no such post"})
    return post
`;

/** Saves the two endpoints as the data set's owner. */
async function saveEndpoints(url: string, cenvId: string): Promise<void> {
  const owner = await login(url, cenvId, 'owner', 'correct horse battery');
  for (const def of [
    { method: 'GET', path: '/hello', access: 'public', source: HELLO },
    { method: 'GET', path: '/posts/:id', access: 'user', source: GET_POST },
  ]) {
    const res = await request(`${url}/${cenvId}/admin/endpoints`, { body: def, headers: bearer(owner.token) });
    if (res.status !== 201) throw new Error(`saving ${def.path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** One request of each kind first: a bench that measures errors would be worthless. */
async function check(url: string, headers: Record<string, string>, expect: (text: string) => boolean): Promise<void> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (!response.ok || !expect(text)) throw new Error(`${url} → ${response.status} ${text.slice(0, 300)}`);
}

async function main(): Promise<void> {
  process.stdout.write(`Machine: ${machine()}; load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n` +
    `Each figure: best of ${RUNS} runs of ${SECONDS} s, ${CONNECTIONS} keep-alive connections (${LOADER}), the two servers taking turns.\n\n`);
  const space = createWorkspace();
  // All load comes from one address: lift the cap on anonymous requests per address (8 by
  // default). startWce passes the bench's WCE_* variables through.
  process.env.WCE_SANDBOX_MAX_JOBS_PER_IP ??= '1000';
  const wce = await startWce(space, 'warn');
  let bare: ServerProcess | null = null;
  try {
    const data = await createDataSet(wce.url, space.dataDir);
    await saveEndpoints(wce.url, data.cenvId);
    const port = await freePort();
    bare = await startServer(path.join(import.meta.dirname, 'bare-server.ts'), port,
      { BARE_PORT: String(port), BARE_DB: data.file, BARE_AUTHOR: data.user.id }, path.join(space.dir, 'bare.log'));
    const auth = { authorization: `Bearer ${data.user.token}` };
    const select = { sql: 'SELECT id, author, title, body, created FROM posts WHERE id = ?', params: [data.postId] };
    const cases = [
      { name: 'hello world', wce: `${wce.url}/${data.cenvId}/api/hello`, bare: `${bare.url}/hello`, headers: {}, expect: (t: string) => t === 'hello' },
      {
        name: 'GET /posts/:id (one db.query_one as a signed-in user)', wce: `${wce.url}/${data.cenvId}/api/posts/${data.postId}`,
        bare: `${bare.url}/posts/${data.postId}`, headers: auth, expect: (t: string) => JSON.parse(t).id === data.postId,
      },
    ];
    const lines = [TABLE_HEAD_CPU];
    const ratios: string[] = [];
    let bareGet: Figures | null = null;
    for (const c of cases) {
      await check(c.wce, c.headers, c.expect);
      await check(c.bare, {}, c.expect);
      const loads: Load[] = [
        { url: c.wce, seconds: SECONDS, connections: CONNECTIONS, headers: c.headers, pid: wce.child.pid },
        { url: c.bare, seconds: SECONDS, connections: CONNECTIONS, pid: bare.child.pid },
      ];
      const [w, b] = await best(loads, RUNS);
      bareGet = b;
      lines.push(formatRow(`bare: ${c.name}`, b), formatRow(`WCE: ${c.name}`, w, b));
      ratios.push(`${c.name}: WCE/bare ${((w.rps / b.rps) * 100).toFixed(0)}% of requests/s, bare/WCE ${((b.cpuUs! / w.cpuUs!) * 100).toFixed(0)}% of CPU per request`);
    }
    // Reference: the same SELECT through the SQL API (its own best run, against the bare GET).
    const [sql] = await best([{
      url: `${wce.url}/${data.cenvId}/sql`, seconds: SECONDS, connections: CONNECTIONS, method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(select), pid: wce.child.pid,
    }], RUNS);
    lines.push(formatRow('WCE: the same SELECT via POST /{cenv}/sql (reference)', sql, bareGet!));
    process.stdout.write(`### WCE Starlark endpoints vs bare node:http (+ node:sqlite), WCE_LOG_LEVEL=warn\n\n${lines.join('\n')}\n\n` +
      `${ratios.map((r) => `- ${r}`).join('\n')}\n\nLoad average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  } finally {
    await bare?.stop();
    await wce.stop();
    rmSync(space.dir, { recursive: true, force: true });
  }
}

await main();
