import { randomUUID } from 'node:crypto';
import { parse } from 'node:querystring';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { type DestinationStream, type Logger, pino } from 'pino';
import { createAccounts } from './auth/accounts.js';
import { authenticate, isProbe, seesAll, unauthenticated, withoutQueryCredentials } from './auth/access-control.js';
import { createAuthService } from './auth/auth-service.js';
import { securityLog } from './auth/security-events.js';
import { createAccessTokens } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { CREDENTIALS } from './generated/policy.js';
import { routes } from './generated/routes.js';
import { UNSCOPED } from './http/access.js';
import { authRoutes } from './http/auth-routes.js';
import { corsPolicy } from './http/cors.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { AppError, errorEnvelope, unavailable } from './http/errors.js';
import { healthRoutes } from './http/health.js';
import { IdempotencyStore } from './http/idempotency.js';
import { idempotencyGuard } from './http/idempotent.js';
import { Lifecycle } from './http/lifecycle.js';
import { createMetrics, type Metrics, UNMATCHED_ROUTE } from './http/metrics.js';
import { createOverloadGuard } from './http/overload.js';
import { budgetOf, createRateLimiter, type RateLimitResult } from './http/rate-limit.js';
import { requestBody, requestForm, requestRaw } from './http/request-body.js';
import { checkParameters } from './http/request-guards.js';
import { RouteTable, writtenPath } from './http/route-table.js';
import { securityHeaders } from './http/security-headers.js';
import { accessLogger, loggerOptions, WRITE_METHODS, withoutQuery } from './logger.js';
import { plugins } from './plugins.js';

/** What the app needs from outside: settings and the database (and, for tests, where logs go). */
export interface AppDependencies {
  config: Config;
  db: Db;
  /** Where log lines are written instead of stdout (tests read them). */
  logStream?: DestinationStream;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Where a request keeps its logger once built (see `req.log`). */
const OWN_LOG = Symbol('log');

/** Set `lifecycle.draining` on SIGTERM: /health/ready turns 503 while requests still run. */
export function lifecycleOf(app: Express): Lifecycle {
  return app.locals.lifecycle as Lifecycle;
}

/** The app's Prometheus metrics; server.ts serves them on METRICS_PORT. */
export function metricsOf(app: Express): Metrics {
  return app.locals.metrics as Metrics;
}

/** Releases what the app holds besides the database (rate-limit store, timers). */
export async function closeApp(app: Express): Promise<void> {
  await (app.locals.close as () => Promise<void>)();
}

/**
 * Builds the Express app without listening, so tests and the server
 * both start it with their own HTTP server.
 */
export async function buildApp({ config, db, logStream }: AppDependencies): Promise<Express> {
  const app = express();
  const logger = logStream ? pino(loggerOptions(config), logStream) : pino(loggerOptions(config));
  const headers = securityHeaders();
  const cors = corsPolicy(config.CORS_ORIGINS);
  const limiter = createRateLimiter(config, (message, error) => logger.warn({ err: error }, message));
  const overload = createOverloadGuard(config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS);
  const routeTable = new RouteTable();
  app.disable('x-powered-by');
  // API responses are not cached by validators; hashing every body for an ETag costs throughput.
  app.set('etag', false);
  app.set('trust proxy', config.TRUST_PROXY);
  // node:querystring, as Express's 'simple' parser; an access token there (the spec's apiKey) is read
  // from the URL, never validated or handed on.
  app.set('query parser', CREDENTIALS.query.length > 0 ? (text: string) => withoutQueryCredentials(parse(text)) : 'simple');
  // Paths match exactly, as in Fastify: /API/V1/AUTH/LOGIN or a trailing slash is not login, so
  // the budget chosen from the path below is the one of the route the request reaches. Every
  // router is made with the same options (each Router() has its own).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.locals.logger = logger;
  app.locals.lifecycle = new Lifecycle();
  app.locals.routeTable = routeTable;
  const metrics = createMetrics(db);
  app.locals.metrics = metrics;
  app.locals.close = async () => {
    overload.close();
    await limiter.close();
  };
  // One access line per request (as in the Fastify version: request id, method, path without its
  // query string, status, time), from a child logger without redaction: its fields are fixed
  // scalars. pino-http built a redacting child logger per request and serialized the request into
  // it: GC pressure on every request. req.log (errors, security events) is built on first use.
  const accessLog = accessLogger(logger);
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request & { [OWN_LOG]?: Logger }) {
      this[OWN_LOG] ??= logger.child({ reqId: this.id });
      return this[OWN_LOG];
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    // A client's X-Request-Id is kept when it looks like an id, so logs join across services.
    const given = req.headers['x-request-id'];
    req.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', req.id);
    // 'close' comes once the answer is sent or the connection is gone, whichever is first.
    res.once('close', () => {
      const ms = performance.now() - start;
      // The route pattern (routers are mounted at /, their paths are whole), never the raw URL.
      const route = typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : UNMATCHED_ROUTE;
      if (res.writableFinished) metrics.observe(req.method, route, res.statusCode, ms / 1000);
      accessLog.info(
        { reqId: req.id, method: req.method, url: withoutQuery(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  });
  const tokens = createAccessTokens(config, () =>
    logger.warn('JWT_SECRET is not set: using a random key for this process (tokens end with it); set JWT_SECRET'),
  );
  // Accounts (role, token version) behind access tokens, remembered for AUTH_ACCOUNT_CACHE_MS: the revocation bound.
  const accounts = createAccounts(db, config.AUTH_ACCOUNT_CACHE_MS);
  const auth = createAuthService(db, config, tokens, { limits: limiter, accounts, log: securityLog(logger) });
  // A path whose percent-escapes are not UTF-8 (`/items/%ED%A0%80`) names no value any route's
  // parameter can hold: 404 as for a path no route answers, as Fastify answers it (Express's
  // router refused it with a 400 while decoding the parameter).
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Only an escape can fail to decode: the other paths skip the work.
    if (!req.path.includes('%')) return next();
    try {
      decodeURIComponent(req.path);
    } catch {
      const notFound = new AppError(404, 'NOT_FOUND', 'No route for a path that is not valid percent-encoded UTF-8.');
      res.status(404).set(headers).json(errorEnvelope(notFound, String(req.id)));
      return;
    }
    next();
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    req.scope = UNSCOPED;
    for (const name in headers) res.setHeader(name, headers[name]!);
    const decision = cors(req.method, req.headers.origin, req.headers['access-control-request-method']);
    for (const name in decision.headers) res.setHeader(name, decision.headers[name]!);
    if (decision.preflight) {
      if (decision.allowed) res.status(204).end();
      else {
        const error = new AppError(403, 'CORS_ORIGIN_REFUSED', 'This origin may not call the API.');
        res.status(403).json(errorEnvelope(error, String(req.id)));
      }
      return;
    }
    if (req.method === 'OPTIONS') {
      // Answered here so Express's own OPTIONS reply (200, no OPTIONS in Allow) never differs from Fastify's.
      const allowed = routeTable.allowed(req.path);
      if (allowed) {
        res.status(204).setHeader('allow', [...allowed, 'OPTIONS'].join(', '));
        res.end();
        return;
      }
    }
    // The project's own probes answer even then (by path: a spec's operation under /health/ is shed as any other).
    if (overload.overloaded() && !isProbe(req.path)) {
      const error = unavailable('The service is overloaded; retry shortly.');
      res.status(503).set(error.headers).json(errorEnvelope(error, String(req.id)));
      return;
    }
    next();
  });
  const limited = (verdict: RateLimitResult | undefined, req: Request, res: Response, next: NextFunction) => {
    if (verdict) for (const name in verdict.headers) res.setHeader(name, verdict.headers[name]!);
    if (!verdict?.limited) return next();
    const error = new AppError(429, 'TOO_MANY_REQUESTS', 'Too many requests; retry after the time in Retry-After.');
    res.status(429).json(errorEnvelope(error, String(req.id)));
  };
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Routing is exact (case-sensitive, strict, no percent-decoding of the path): the path that
    // reaches a route is that route's own, so the budget of the path is the budget of the route.
    // With the counters in memory the verdict is known at once (no promise); with Redis it is a promise.
    const verdict = limiter.checkNow(req.ip ?? req.socket.remoteAddress ?? '', budgetOf(req.path));
    if (verdict instanceof Promise) verdict.then((v) => limited(v, req, res, next), next);
    else limited(verdict, req, res, next);
  });
  // Who is calling (undefined without a valid access token), before any body is read. Deciding what
  // they may do is addRoute's job: generated routes check the policy, the rest need a caller unless public.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    req.principal = await authenticate(tokens, accounts, req.headers, { method: req.method, url: req.originalUrl });
    const principal = req.principal;
    if (principal && WRITE_METHODS.has(req.method) && seesAll(principal)) {
      // Once answered, and only for the API's operations (addRoute sets req.operation).
      res.once('finish', () => {
        if (!req.operation) return;
        securityLog(req.log)('admin.write', {
          userId: principal.id,
          operationId: req.operation.operationId,
          method: req.method,
          path: withoutQuery(req.originalUrl),
          status: res.statusCode,
        });
      });
    }
    next();
  });
  // The body is read by each route once the caller may call it (addRoute), and for your routes below;
  // the Idempotency-Key check runs after validation, as in the Fastify version.
  const readBody = requestBody(config);
  const idempotency = idempotencyGuard(new IdempotencyStore(db, config.IDEMPOTENCY_TTL_MS));
  app.locals.readBody = readBody;
  app.locals.readForm = requestForm(config);
  app.locals.readRaw = requestRaw(config);
  app.locals.idempotency = idempotency;

  app.use(healthRoutes(db, config));
  app.use(authRoutes(auth, config.AUTH_COOKIE_SECURE));
  app.use(routes({ db }));
  // Your routes (plugins.ts) are for authenticated callers only: deny by default. A path no route
  // answers (or a method it does not) falls through to 404/405 for anonymous callers too, as in Fastify.
  const routed = (req: Request) => routeTable.allowed(req.path)?.includes(req.method) === true;
  app.use((req: Request, _res: Response, next: NextFunction) => next(req.principal || !routed(req) ? undefined : unauthenticated()));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!routed(req)) return next();
    checkParameters('query', req.query as Record<string, unknown>);
    readBody(req, res, (error?: unknown) => (error ? next(error) : idempotency(req, res, next)));
  });
  app.use(await plugins({ config, db }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  collectRoutes(app.router as unknown as RouterLike, routeTable);
  return app;
}

interface RouterLike {
  stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: Partial<RouterLike> }[];
}

/** Every route of the app (routers mounted at the root included), for 405 answers. */
function collectRoutes(router: RouterLike, table: RouteTable): void {
  for (const layer of router.stack) {
    if (layer.route) {
      const path = writtenPath(layer.route.path);
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') table.add(method, path);
    } else if (Array.isArray(layer.handle?.stack)) collectRoutes(layer.handle as RouterLike, table);
  }
}
