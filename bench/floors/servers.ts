/**
 * The servers of the floors bench (run.ts): each does one of the things WCE must do and
 * nothing else, so the gap between two of them is the price of that one thing.
 *
 *   FLOOR_MODE=bare          node:http, two headers (what the issue goals compare with)
 *   FLOOR_MODE=headers       node:http plus WCE's security headers and a request id
 *   FLOOR_MODE=fastify       Fastify (no plugins), the same headers set by one hook
 *   FLOOR_MODE=hop           node:http, every answer made by a child process over Node's IPC
 *                            channel (JSON, one message a turn each way), as the sandbox does
 *   FLOOR_MODE=fastify-hop   Fastify with the headers, answers made by the child
 *
 * Every mode serves `GET /hello` ("hello"), `GET /page` (a 7.7 kB HTML document with an
 * ETag, the size of the pages bench's front page), `POST /sql` (`{sql, params}` run on
 * FLOOR_DB, answered as the data bench's bare server answers) and `/health` for the harness.
 * The header set is WCE's own (src/server/plugins/headers.ts), so the floors move when it
 * changes: the tenant set, or the API set for /sql. Environment: FLOOR_PORT, FLOOR_MODE,
 * FLOOR_DB.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { bareSql } from '../data/bare-sql.ts';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { HEADERS_BY_KIND } from '../../src/server/plugins/headers.ts';

const HELLO = 'hello';
const PAGE = Buffer.from(`<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>A small blog</title></head>\n<body>\n${
  Array.from({ length: 20 }, (_, i) => `<article><h2><a href="/blog/pages/posts/${20 - i}">Post number ${20 - i}</a></h2><p>${'Some words of a post. '.repeat(15)}</p></article>\n`).join('')
}</body>\n</html>\n`);
const ETAG = '"floors-page-1"';

type Answer = { status: number; type: string; body: string | Buffer };

let runSql: ((text: string) => string) | null = null;

function answer(url: string | undefined, body = ''): Answer {
  if (url === '/sql') {
    runSql ??= bareSql(new DatabaseSync(process.env.FLOOR_DB!, { timeout: 5000 }));
    return { status: 200, type: 'application/json; charset=utf-8', body: runSql(body) };
  }
  if (url === '/page') return { status: 200, type: 'text/html; charset=utf-8', body: PAGE };
  if (url === '/health') return { status: 200, type: 'application/json; charset=utf-8', body: '{"status":"ok"}' };
  return { status: 200, type: 'text/plain; charset=utf-8', body: HELLO };
}

/** The child of the hop modes: answers each job by url. */
function child(): void {
  process.on('message', (message: { jobs: Array<{ id: number; url: string; body: string }> }) => {
    for (const job of message.jobs) {
      const { status, type, body } = answer(job.url, job.body);
      process.send!({ id: job.id, status, type, body: typeof body === 'string' ? body : body.toString('utf8') });
    }
  });
}

/** The main side of a hop: jobs of one event-loop turn go out in one message, as src/sandbox/outbox.ts does. */
function hop(): (url: string, body: string) => Promise<Answer> {
  const proc: ChildProcess = fork(import.meta.filename, [], { env: { ...process.env, FLOOR_CHILD: '1' }, serialization: 'json' });
  const waiting = new Map<number, (a: Answer) => void>();
  let next = 0;
  let queued: Array<{ id: number; url: string; body: string }> = [];
  proc.on('message', (reply: Answer & { id: number }) => {
    const resolve = waiting.get(reply.id)!;
    waiting.delete(reply.id);
    resolve(reply);
  });
  return (url, body) => new Promise((resolve) => {
    const id = next++;
    waiting.set(id, resolve);
    queued.push({ id, url, body });
    if (queued.length === 1) {
      setImmediate(() => {
        proc.send({ jobs: queued });
        queued = [];
      });
    }
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.FLOOR_PORT);
  const mode = process.env.FLOOR_MODE ?? 'bare';
  const securityOf = (url: string) => HEADERS_BY_KIND[url === '/sql' ? 'api' : 'tenant'];
  const viaChild = mode.endsWith('hop') ? hop() : null;
  const make = (url: string, body: string): Answer | Promise<Answer> => (viaChild && url !== '/health' ? viaChild(url, body) : answer(url, body));

  if (mode.startsWith('fastify')) {
    const app = Fastify({ logger: false });
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(securityOf(request.url));
      reply.header('x-request-id', randomUUID());
      done();
    });
    const route = async (request: FastifyRequest, reply: FastifyReply) => {
      const { status, type, body } = await make(request.url, (request.body as string | undefined) ?? '');
      reply.code(status).header('content-type', type);
      if (request.url === '/page') reply.header('etag', ETAG).header('cache-control', 'no-cache');
      return reply.send(body);
    };
    for (const path of ['/hello', '/page', '/health']) app.get(path, route);
    app.post('/sql', route);
    await app.listen({ port, host: '127.0.0.1' });
    return;
  }

  const withHeaders = mode === 'headers';
  const write = (res: ServerResponse, url: string | undefined, { status, type, body }: Answer) => {
    const headers: Record<string, string | number> = withHeaders ? { ...securityOf(url ?? ''), 'x-request-id': randomUUID() } : {};
    headers['content-type'] = type;
    headers['content-length'] = Buffer.byteLength(body);
    if (url === '/page') Object.assign(headers, { etag: ETAG, 'cache-control': 'no-cache' });
    res.writeHead(status, headers);
    res.end(body);
  };
  const respond = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const made = make(req.url ?? '/', body);
    if (made instanceof Promise) void made.then((a) => write(res, req.url, a));
    else write(res, req.url, made);
  };
  createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return respond(req, res, '');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
  }).listen(port, '127.0.0.1');
}

if (process.env.FLOOR_CHILD) child();
else await main();
