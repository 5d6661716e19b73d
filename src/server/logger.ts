/**
 * The server's logger: pino JSON lines, with every field that could carry a credential
 * replaced before anything is written. One instance serves Fastify (request logs, each line
 * with its request id), the background parts (commit hooks, the sweepers) and the sandbox
 * children's lines (the pool writes them with the request id they carry).
 *
 * With a file (`WCE_LOG_FILE`) every line goes to standard output and to the file (mode
 * 0600: lines hold client addresses). `reopenLogFiles()` (on SIGHUP) reopens the file by
 * name, so logrotate can move it away and signal.
 *
 * @example const log = createLogger('info', undefined, '/var/log/wce.log'); log.info({ cenvId }, 'cenv created');
 */
import type { FastifyBaseLogger } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths whose values never reach a log line. */
const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.headers["x-wce-password"]',
  'res.headers["set-cookie"]', '*.password', '*.token',
];

/** Log files opened by this process, for `reopenLogFiles`. */
const files = new Set<ReturnType<typeof pino.destination>>();
/** Each logger's access-line logger (see `accessLogger`). */
const accessLoggers = new WeakMap<Logger, Logger>();

/**
 * `destination` is where lines go (standard output by default; tests pass a stream); `file`
 * receives them too.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, file?: string | null): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  let stream: DestinationStream = (destination ?? pino.destination({ dest: 1, sync: true })) as DestinationStream;
  if (file) {
    const toFile = pino.destination({ dest: file, sync: false, mkdir: true, mode: 0o600 });
    files.add(toFile);
    stream = pino.multistream([{ stream, level: 'trace' as const }, { stream: toFile, level: 'trace' as const }]);
  }
  const logger = pino(options, stream);
  accessLoggers.set(logger, pino({ level }, stream));
  return logger;
}

/**
 * The logger for the one access line per request (plugins/request-log.ts): the same level and
 * destination, without redaction. That line's fields are fixed (request id, method, URL,
 * status, address, time) and none can carry a credential, while redaction walks every logged
 * object for its paths: ~4.5 µs of main-process CPU per request at the default level (measured).
 * @example installRequestLog(app, accessLogger(logger)) // the logger given to buildApp
 */
export function accessLogger(logger: FastifyBaseLogger): FastifyBaseLogger {
  return accessLoggers.get(logger as Logger) ?? logger;
}

/** Reopens every log file by its name (after logrotate moved it). */
export function reopenLogFiles(): void {
  for (const file of files) file.reopen();
}

/** Writes out what the log files still buffer (before the process exits). */
export function flushLogFiles(): void {
  for (const file of files) file.flushSync();
}
