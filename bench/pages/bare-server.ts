/**
 * The floor for serving a cached page: a bare `node:http` server that sends the same bytes
 * WCE sends for the page, with the same validators (ETag, Cache-Control: no-cache) and a
 * 304 for a matching If-None-Match. Nothing else: no framework, no routing beyond one
 * comparison, no security headers, no logging.
 *
 * Run as a child process by run.ts. Environment: BARE_PORT, BARE_FILE (the page's bytes),
 * BARE_ETAG, BARE_TYPE.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.env.BARE_FILE!);
const etag = process.env.BARE_ETAG!;
const type = process.env.BARE_TYPE!;
const HEALTH = '{"status":"ok"}';

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': HEALTH.length });
    res.end(HEALTH);
    return;
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag, 'cache-control': 'no-cache' });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': body.length, etag, 'cache-control': 'no-cache' });
  res.end(body);
});
// Same keep-alive timeout as Fastify's default, so idle connections are treated alike.
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.BARE_PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
