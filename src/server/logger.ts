/**
 * The server's logger: pino JSON lines, with every field that could carry a credential
 * replaced before anything is written. One instance serves Fastify (request logs, each line
 * with its request id) and the background parts (commit hooks, the session sweeper).
 *
 * @example const log = createLogger('info'); log.info({ cenvId }, 'cenv created');
 */
import { pino, type Logger } from 'pino';

/** Paths whose values never reach a log line. */
const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]', '*.password', '*.token',
];

/** `destination` is where lines go (standard output by default; tests pass a stream). */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
