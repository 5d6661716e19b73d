/**
 * The floor for the endpoints bench: a bare `node:http` server doing what the two measured
 * endpoints do and nothing else (no framework, authentication, access control, sandbox or
 * Starlark): `GET /hello` answers "hello", `GET /posts/:id` runs the same SELECT on the same
 * cenv file with a cached statement and answers the row as JSON.
 *
 * Run as a child process by run.ts. Environment: BARE_PORT, BARE_DB (the cenv file),
 * BARE_AUTHOR (the author the WCE side's row policy restricts to).
 */
import { createServer, type ServerResponse } from 'node:http';
import { DatabaseSync } from 'node:sqlite';

const db = new DatabaseSync(process.env.BARE_DB!, { timeout: 5000 });
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');
// No row policy here, so the SQL names the author the policy would.
const post = db.prepare('SELECT id, author, title, body, created FROM posts WHERE id = ? AND author = ?');
const author = process.env.BARE_AUTHOR!;
const POST = /^\/posts\/(\d{1,15})$/;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method');
  if (req.url === '/health') return send(res, 200, 'application/json', '{"status":"ok"}');
  if (req.url === '/hello') return send(res, 200, 'text/plain; charset=utf-8', 'hello');
  const match = POST.exec(req.url ?? '');
  if (match) {
    const row = post.get(Number(match[1]), author);
    return row ? send(res, 200, 'application/json; charset=utf-8', JSON.stringify(row)) : send(res, 404, 'text/plain', 'none');
  }
  send(res, 404, 'text/plain', 'none');
});
// Same keep-alive timeout as Fastify's default, so idle connections are treated alike.
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.BARE_PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
