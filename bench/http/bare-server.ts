/**
 * The floor WCE is compared with: a bare `node:http` server doing the same work as WCE for
 * `GET /health` and `GET /{cenv}/sessions`, with nothing else (no framework, no hooks, no
 * logging, no security headers, no registry lookup, one connection opened at start).
 *
 * Run as a child process by run.ts. Environment: BARE_PORT, BARE_DB (the cenv file WCE
 * created), BARE_CENV (its id), BARE_KEY (the WCE_JWT_SECRET WCE signs with).
 *
 * The SQL below is WCE's own (src/auth/sessions.ts), repeated on purpose: importing it would
 * make the floor move whenever WCE changes.
 */
import { createServer, type ServerResponse } from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { jwtVerify } from 'jose';

const port = Number(process.env.BARE_PORT);
const cenvId = process.env.BARE_CENV!;
const key = new TextEncoder().encode(process.env.BARE_KEY!);

const db = new DatabaseSync(process.env.BARE_DB!, { timeout: 5000 });
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');

const checkSession = db.prepare(`SELECT s.*, u.username, u.role FROM _wce_sessions s JOIN _wce_users u ON u.id = s.user_id
    WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.enabled = 1`);
const listSessions = db.prepare(`SELECT * FROM _wce_sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?
    ORDER BY created_at DESC`);

const HEALTH = JSON.stringify({ status: 'ok' });
const BEARER = /^Bearer[ ]+([A-Za-z0-9_\-.]+)\s*$/i;

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function unauthorized(res: ServerResponse): void {
  send(res, 401, JSON.stringify({ error: { code: 'WCE_ERR_UNAUTHORIZED', message: 'unauthorized' } }));
}

async function sessions(authorization: string | undefined, res: ServerResponse): Promise<void> {
  const match = authorization === undefined ? null : BEARER.exec(authorization);
  if (!match) return unauthorized(res);
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(match[1], key, { algorithms: ['HS256'] }));
  } catch {
    return unauthorized(res);
  }
  if (claims.cenv_id !== cenvId) return unauthorized(res);
  const now = new Date().toISOString();
  const userId = claims.user_id as string;
  if (!checkSession.get(claims.sid as string, userId, now)) return unauthorized(res);
  const rows = listSessions.all(userId, now) as Array<Record<string, string | null>>;
  send(res, 200, JSON.stringify({
    sessions: rows.map((s) => ({
      id: s.id, created_at: s.created_at, expires_at: s.expires_at, last_used: s.last_used,
      ip: s.ip, user_agent: s.user_agent, current: s.id === claims.sid,
    })),
  }));
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, HEALTH);
  if (req.method === 'GET' && req.url === `/${cenvId}/sessions`) {
    sessions(req.headers.authorization, res).catch(() => send(res, 500, '{"error":{"code":"WCE_ERR_INTERNAL"}}'));
    return;
  }
  send(res, 404, '{"error":{"code":"WCE_ERR_NOT_FOUND"}}');
});
// Same keep-alive timeout as Fastify's default, so idle connections are treated alike.
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
