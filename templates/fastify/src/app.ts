import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { createAccounts } from './auth/accounts.js';
import { authenticateNow, authorize, isProbe, isPublicPath, seesAll, unauthenticated, withoutQueryCredentials } from './auth/access-control.js';
import { createAuthService } from './auth/auth-service.js';
import { securityLog } from './auth/security-events.js';
import { createAccessTokens, type Principal } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { CREDENTIALS } from './generated/policy.js';
import { routes } from './generated/routes.js';
import { type DataScope, type OperationInfo, UNSCOPED } from './http/access.js';
import { authRoutes } from './http/auth-routes.js';
import { corsPolicy } from './http/cors.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import type { RouteMedia } from './http/body-media.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { AppError, errorEnvelope, unavailable } from './http/errors.js';
import { lazyChildLogger } from './http/lazy-child-logger.js';
import { healthRoutes } from './http/health.js';
import { createMetrics, type Metrics, UNMATCHED_ROUTE } from './http/metrics.js';
import { idempotencyHooks } from './http/idempotency-hooks.js';
import { Lifecycle } from './http/lifecycle.js';
import { createOverloadGuard } from './http/overload.js';
import { budgetOf, createRateLimiter, type RateLimitResult } from './http/rate-limit.js';
import { repeatableKeys, styleQuery } from './http/query-styles.js';
import { checkParameters } from './http/request-guards.js';
import { routeOf } from './http/route-of.js';
import { RouteTable, specParams } from './http/route-table.js';
import { securityHeaders } from './http/security-headers.js';
import { serverOptions } from './http/server-options.js';
import { compileFor } from './http/validation.js';
import { accessLogger, loggerOptions, WRITE_METHODS, withoutQuery } from './logger.js';
import { plugins } from './plugins.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose data this request may see; the access layer narrows it. */
    scope: DataScope;
    /** The caller, from a valid access token; undefined for anonymous requests. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Set on every generated route: what it does and the permission it needs. */
    operation?: OperationInfo;
    /** Open to anonymous callers (login, register, refresh, logout). */
    public?: boolean;
    /** The body is a form (application/x-www-form-urlencoded), not JSON, as the spec declares it. */
    form?: boolean;
    /** The body is bytes in one of these media types (a Buffer), as the spec declares it. */
    raw?: readonly string[];
    /** A CRUD route whose spec declares bodies or answers in more media types than JSON. */
    media?: RouteMedia;
  }
  interface FastifyInstance {
    /** Set `lifecycle.draining` on SIGTERM: /health/ready turns 503 while requests still run. */
    lifecycle: Lifecycle;
    /** Every route's path and methods, for 405 answers. */
    routeTable: RouteTable;
    /** Prometheus metrics; server.ts serves them on METRICS_PORT. */
    metrics: Metrics;
  }
}

/** What the app needs from outside: settings and the database (and, for tests, where logs go). */
export interface AppDependencies {
  config: Config;
  db: Db;
  /** Where log lines are written instead of stdout (tests read them). */
  logStream?: DestinationStream;
}

/** The callback of a callback-style hook: nothing to go on, or the error to answer with. */
type HookDone = (error?: Error) => void;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the Fastify app without listening, so tests call it with
 * `app.inject` and the server calls `listen`.
 */
export async function buildApp({ config, db, logStream }: AppDependencies): Promise<FastifyInstance> {
  const limits = serverOptions(config);
  // Computed once (helmet runs against a stub): every answer copies them, a bad URL's too.
  const headers = securityHeaders();
  const app = Fastify({
    logger: { ...loggerOptions(config), ...(logStream ? { stream: logStream } : {}) },
    // Slow clients are cut off (408) and idle keep-alive connections closed; Fastify sets these two itself.
    requestTimeout: limits.requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    http: { headersTimeout: limits.headersTimeout, connectionsCheckingInterval: limits.connectionsCheckingInterval },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // The router's default answers 414 to a path parameter over 100 characters: a text key the spec
    // allows (255 characters, percent-encoded up to 3 kB) would be unreachable. Node's limit on the
    // request head (16 kB) bounds URLs, as in Express.
    routerOptions: { maxParamLength: 16_384 },
    trustProxy: config.TRUST_PROXY,
    // A client's X-Request-Id is kept when it looks like an id, so logs join across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // One access log line per request (below) instead of Fastify's two: half the logging cost.
    // (Through the log controller: the top-level disableRequestLogging is deprecated, FSTDEP023.)
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is built the first time a request logs through it (errors, security events).
    childLoggerFactory: lazyChildLogger,
    // During shutdown, requests on open keep-alive connections are still served (readiness already says 503).
    return503OnClosing: false,
    // A path whose percent-escapes are not UTF-8 (`/items/%ED%A0%80`) names no value any route's
    // parameter can hold: 404 as for a path no route answers, in the envelope with the request id,
    // as Express answers it (Fastify's default was a 400 of its own format, outside the spec's).
    frameworkErrors: (error, request: FastifyRequest, reply: FastifyReply) => {
      if (error.code !== 'FST_ERR_BAD_URL') return errorHandler(error, request, reply);
      const notFound = new AppError(404, 'NOT_FOUND', 'No route for a path that is not valid percent-encoded UTF-8.');
      void reply.status(404).header('x-request-id', request.id).headers(headers).send(errorEnvelope(notFound, request.id));
    },
  });
  const accessLog = accessLogger(app.log);
  const cors = corsPolicy(config.CORS_ORIGINS);
  const limiter = createRateLimiter(config, (message, error) => app.log.warn({ err: error }, message));
  const overload = createOverloadGuard(config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS);
  app.decorate('lifecycle', new Lifecycle());
  app.decorate('routeTable', new RouteTable());
  const metrics = createMetrics(db);
  app.decorate('metrics', metrics);
  const idempotency = idempotencyHooks(db, config.IDEMPOTENCY_TTL_MS);
  app.decorateRequest('idempotency', null);
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    for (const method of methods) if (method !== 'HEAD') app.routeTable.add(method, route.url);
    // Only a POST takes an Idempotency-Key: its claim runs before the route's own preHandlers, as an app hook would.
    if (methods.includes('POST')) {
      route.preHandler = [idempotency.claim, ...[route.preHandler ?? []].flat()];
      route.onSend = [idempotency.store, ...[route.onSend ?? []].flat()];
    }
  });
  app.addHook('onClose', async () => {
    overload.close();
    await limiter.close();
  });

  registerBodyParsers(app, config.JSON_MAX_DEPTH);
  app.setValidatorCompiler(({ schema, httpPart }) => compileFor(httpPart === 'body' ? 'body' : 'query', schema));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('scope', null as unknown as DataScope);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('matchedRoute', null);
  const tokens = createAccessTokens(config, () =>
    app.log.warn('JWT_SECRET is not set: using a random key for this process (tokens end with it); set JWT_SECRET'),
  );
  // Accounts (role, token version) behind access tokens, remembered for AUTH_ACCOUNT_CACHE_MS: the revocation bound.
  const accounts = createAccounts(db, config.AUTH_ACCOUNT_CACHE_MS);
  const auth = createAuthService(db, config, tokens, { limits: limiter, accounts, log: securityLog(app.log) });

  // One callback-style onRequest hook for every request: headers, CORS, overload, rate limit, then
  // access (below), in that order. Fastify runs each hook as a step of its own, and an async hook
  // costs a promise: with the token and the account known, a request passes without either.
  app.addHook('onRequest', (request, reply, done) => {
    request.scope = UNSCOPED;
    // An access token in the query string (the spec's apiKey) is read from the URL, never validated or handed on.
    if (CREDENTIALS.query.length > 0) withoutQueryCredentials(request.query as Record<string, unknown>);
    reply.header('x-request-id', request.id);
    reply.headers(headers);
    const decision = cors(request.method, request.headers.origin, request.headers['access-control-request-method']);
    reply.headers(decision.headers);
    if (decision.preflight) {
      if (decision.allowed) void reply.code(204).send();
      else {
        const error = new AppError(403, 'CORS_ORIGIN_REFUSED', 'This origin may not call the API.');
        void reply.code(403).send(errorEnvelope(error, request.id));
      }
      return;
    }
    // The project's own probes answer even then (by route: a spec's operation under /health/ is shed as any other).
    if (overload.overloaded() && !isProbe(routeOf(request).url)) {
      const error = unavailable('The service is overloaded; retry shortly.');
      void reply.code(503).headers(error.headers).send(errorEnvelope(error, request.id));
      return;
    }
    // The budget of the route the request matched, not of its raw path: /api/v1/%61uth/login
    // reaches login and counts as login. With the counters in memory the verdict is known at once
    // (no promise); with Redis it is a promise, followed here.
    const verdict = limiter.checkNow(request.ip, budgetOf(routeOf(request).url));
    if (verdict instanceof Promise) verdict.then((v) => limited(v, request, reply, done), done);
    else limited(verdict, request, reply, done);
  });
  const limited = (verdict: RateLimitResult | undefined, request: FastifyRequest, reply: FastifyReply, done: HookDone) => {
    if (verdict) {
      reply.headers(verdict.headers);
      if (verdict.limited) {
        const error = new AppError(429, 'TOO_MANY_REQUESTS', 'Too many requests; retry after the time in Retry-After.');
        void reply.code(429).send(errorEnvelope(error, request.id));
        return;
      }
    }
    access(request, reply, done);
  };
  // Deny by default: every route needs a valid access token unless it is public
  // (health, /openapi.json, the token endpoints); generated routes also need a
  // rule in the policy for the caller's role. A path no route answers gets its 404 (or 405) here,
  // before its body is read: Fastify would otherwise check the body's size first and answer 413 to
  // anyone, where the Express version answers 404 whatever the body.
  const access = (request: FastifyRequest, reply: FastifyReply, done: HookDone) => {
    const route = routeOf(request);
    if (route.url === undefined) return notFoundHandler(request, reply);
    if (route.config.public || isPublicPath(route.url)) return done();
    let principal: ReturnType<typeof authenticateNow>;
    try {
      principal = authenticateNow(tokens, accounts, request.headers, request);
    } catch (error) {
      return done(error as Error);
    }
    if (principal instanceof Promise) principal.then((known) => admit(request, known, done), done);
    else admit(request, principal, done);
  };
  const admit = (request: FastifyRequest, principal: Principal | undefined, done: HookDone) => {
    request.principal = principal;
    const operation = routeOf(request).config.operation;
    try {
      if (operation) request.scope = authorize(principal, operation);
      else if (!principal) throw unauthenticated();
    } catch (error) {
      return done(error as Error);
    }
    done();
  };
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      // Object and array query parameters are read by their OpenAPI style before the route's schema validates them.
      const querySchema = (routeOf(request).schema as { querystring?: object } | undefined)?.querystring;
      checkParameters('query', request.query as Record<string, unknown>, repeatableKeys(querySchema));
      if (request.query) request.query = styleQuery(request.query as Record<string, unknown>, querySchema);
      // Params the route names by an alias (`{widget-id}`) are validated and handled under the spec's name.
      request.params = specParams(request.params as Record<string, unknown>);
      checkParameters('params', request.params as Record<string, unknown>);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  app.addHook('onResponse', (request, reply, done) => {
    // The path without its query string: a token or personal data sent there is never logged.
    const url = withoutQuery(request.url);
    // Read once: each read of elapsedTime asks the clock again.
    const ms = reply.elapsedTime;
    accessLog.info({ reqId: request.id, method: request.method, url, status: reply.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    const route = routeOf(request);
    metrics.observe(request.method, route.url ?? UNMATCHED_ROUTE, reply.statusCode, ms / 1000);
    const operation = route.config.operation;
    if (operation && request.principal && WRITE_METHODS.has(request.method) && seesAll(request.principal)) {
      securityLog(request.log)('admin.write', {
        userId: request.principal.id,
        operationId: operation.operationId,
        method: request.method,
        path: url,
        status: reply.statusCode,
      });
    }
    done();
  });

  await app.register(healthRoutes, { db, config });
  await app.register(authRoutes, { auth, secureCookie: config.AUTH_COOKIE_SECURE });
  await app.register(routes, { db });
  await app.register(plugins, { config, db });
  return app;
}
