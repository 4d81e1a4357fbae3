import type { FastifyBaseLogger } from 'fastify';

type Logger = FastifyBaseLogger & Record<PropertyKey, unknown>;
interface Pending {
  parent: FastifyBaseLogger;
  bindings: Record<string, unknown>;
  options: object;
  logger?: Logger;
}

const real = (pending: Pending): Logger =>
  (pending.logger ??= pending.parent.child(pending.bindings, pending.options) as Logger);

// One handler for every request: the per-request state is the proxy's target.
const handler: ProxyHandler<Pending> = {
  get(pending, key) {
    const logger = real(pending);
    const value = logger[key];
    return typeof value === 'function' ? value.bind(logger) : value;
  },
  set(pending, key, value) {
    real(pending)[key] = value;
    return true;
  },
  has: (pending, key) => key in real(pending),
};

/**
 * `request.log` made on first use. Fastify gives every request a pino child
 * carrying its `reqId`; building one costs a few microseconds (its bindings
 * are serialized), and most requests never log through it: the access line
 * goes through its own logger (see `accessLogger`). The proxy behaves as the
 * child it stands for (same methods, level, redaction), created the first
 * time anything reads it.
 */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Record<string, unknown>, options: object): FastifyBaseLogger {
  return new Proxy<Pending>({ parent: logger, bindings, options }, handler) as unknown as FastifyBaseLogger;
}
