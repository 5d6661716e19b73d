/**
 * `request.log`, made only when a request logs something. Fastify's default gives every
 * request a pino child (its bindings serialised, redaction prepared): about a microsecond of
 * a small request's 20, spent on requests that, at the usual levels, log nothing but the one
 * access line (plugins/request-log.ts writes that through the root logger, with the same
 * fields). A line written here is the child's line: the request id first, then its own
 * fields.
 *
 * @example Fastify({ loggerInstance: logger, childLoggerFactory: requestLogger })
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, LevelWithSilentOrString, LogFn } from 'pino';

type Parent = FastifyBaseLogger & { isLevelEnabled?(level: Level): boolean };

class LazyChildLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | null = null;
  private readonly parent: Parent;
  private readonly bindings: Bindings;
  private readonly options: ChildLoggerOptions;

  constructor(parent: Parent, bindings: Bindings, options: ChildLoggerOptions) {
    this.parent = parent;
    this.bindings = bindings;
    this.options = options;
  }

  /** The real child, made on first use. */
  private get log(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  /** A level the parent drops costs neither a child nor a call (once made, the child decides). */
  private write(level: Level, args: Parameters<LogFn>): void {
    if (this.made === null && this.parent.isLevelEnabled?.(level) === false) return;
    (this.log[level] as (...a: unknown[]) => void)(...args);
  }

  fatal(...args: Parameters<LogFn>): void { this.write('fatal', args); }
  error(...args: Parameters<LogFn>): void { this.write('error', args); }
  warn(...args: Parameters<LogFn>): void { this.write('warn', args); }
  info(...args: Parameters<LogFn>): void { this.write('info', args); }
  debug(...args: Parameters<LogFn>): void { this.write('debug', args); }
  trace(...args: Parameters<LogFn>): void { this.write('trace', args); }
  silent(): void {}

  get level(): LevelWithSilentOrString {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: LevelWithSilentOrString) {
    this.log.level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.log.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the per-request logger above. */
export function requestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options);
}
