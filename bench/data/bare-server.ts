/**
 * The floor for the data bench: a bare `node:http` + `node:sqlite` server that takes the same
 * request body as `POST /{cenv}/sql` (`{"sql", "params"}`), runs the SQL on the same cenv
 * file with a cached prepared statement, and answers the same JSON shape. Nothing else: no
 * framework, no authentication, no access control, no audit row, no child process.
 *
 * Run as a child process by run.ts. Environment: BARE_PORT, BARE_DB (the cenv file).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { bareSql } from './bare-sql.ts';

const db = new DatabaseSync(process.env.BARE_DB!, { timeout: 5000 });
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');
const run = bareSql(db);

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sql(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      send(res, 200, run(Buffer.concat(chunks).toString('utf8')));
    } catch (error) {
      send(res, 400, JSON.stringify({ error: { code: 'WCE_ERR_VALIDATION', message: (error as Error).message } }));
    }
  });
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, '{"status":"ok"}');
  if (req.method === 'POST' && req.url === '/sql') return sql(req, res);
  send(res, 404, '{"error":{"code":"WCE_ERR_NOT_FOUND"}}');
});
// Same keep-alive timeout as Fastify's default, so idle connections are treated alike.
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.BARE_PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
