import type { FastifyBaseLogger } from 'fastify';
import type { LevelWithSilentOrString } from 'pino';

type Log = (this: FastifyBaseLogger, ...args: unknown[]) => void;

/**
 * `request.log`, built the first time it is used. Fastify gives every request
 * a pino child carrying its `reqId`; making one costs a few microseconds (its
 * bindings are serialized) and most requests never log through it: the access
 * line has its own logger (`accessLogger`). This stands for that child, with
 * the same methods, level and redaction, and creates it on the first call.
 * (A class, not a Proxy: Fastify checks the logger's methods on every request,
 * and reading them must not create the child.)
 */
class LazyChildLogger {
  #logger: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Record<string, unknown>,
    private readonly options: object,
  ) {}

  private get logger(): FastifyBaseLogger {
    this.#logger ??= this.parent.child(this.bindings, this.options);
    return this.#logger;
  }

  get level(): LevelWithSilentOrString {
    return this.#logger?.level ?? this.parent.level;
  }
  set level(level: LevelWithSilentOrString) {
    this.logger.level = level;
  }

  fatal(...args: unknown[]): void {
    const logger = this.logger;
    (logger.fatal as Log).apply(logger, args);
  }
  error(...args: unknown[]): void {
    const logger = this.logger;
    (logger.error as Log).apply(logger, args);
  }
  warn(...args: unknown[]): void {
    const logger = this.logger;
    (logger.warn as Log).apply(logger, args);
  }
  info(...args: unknown[]): void {
    const logger = this.logger;
    (logger.info as Log).apply(logger, args);
  }
  debug(...args: unknown[]): void {
    const logger = this.logger;
    (logger.debug as Log).apply(logger, args);
  }
  trace(...args: unknown[]): void {
    const logger = this.logger;
    (logger.trace as Log).apply(logger, args);
  }
  silent(...args: unknown[]): void {
    const logger = this.logger;
    (logger.silent as Log).apply(logger, args);
  }

  child(bindings: Record<string, unknown>, options?: object): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: a {@link LazyChildLogger} per request. */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Record<string, unknown>, options: object): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
