import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { authenticate, authorize, isPublicPath, unauthenticated } from './auth/access-control.js';
import { createAuthService } from './auth/auth-service.js';
import { createAccessTokens, type Principal } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { routes } from './generated/routes.js';
import { type DataScope, type OperationInfo, UNSCOPED } from './http/access.js';
import { authRoutes } from './http/auth-routes.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { healthRoutes } from './http/health.js';
import { compileFor } from './http/validation.js';
import { loggerOptions } from './logger.js';
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
  }
}

/** What the app needs from outside: settings and the database. */
export interface AppDependencies {
  config: Config;
  db: Db;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the Fastify app without listening, so tests call it with
 * `app.inject` and the server calls `listen`.
 */
export async function buildApp({ config, db }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // A client's X-Request-Id is kept when it looks like an id, so logs join across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // One access log line per request (below) instead of Fastify's two: half the logging cost.
    disableRequestLogging: true,
  });
  app.setValidatorCompiler(({ schema, httpPart }) => compileFor(httpPart === 'body' ? 'body' : 'query', schema));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('scope', null as unknown as DataScope);
  app.decorateRequest('principal', undefined);
  const tokens = createAccessTokens(config, () =>
    app.log.warn('JWT_SECRET is not set: using a random key for this process (tokens end with it); set JWT_SECRET'),
  );
  const auth = createAuthService(db, config, tokens);
  // Callback-style hooks: they run on every request, and skip a promise each.
  app.addHook('onRequest', (request, reply, done) => {
    request.scope = UNSCOPED;
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
    done();
  });
  // Deny by default: every route needs a valid access token unless it is public
  // (health, /openapi.json, the token endpoints); generated routes also need a
  // rule in the policy for the caller's role. Unknown routes fall through to 404.
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions;
    if (route.url === undefined || route.config.public || isPublicPath(route.url)) return;
    request.principal = await authenticate(tokens, request.headers.authorization);
    const operation = route.config.operation;
    if (operation) request.scope = authorize(request.principal, operation);
    else if (!request.principal) throw unauthenticated();
  });

  await app.register(healthRoutes, { db });
  await app.register(authRoutes, { auth });
  await app.register(routes, { db });
  await app.register(plugins, { config, db });
  return app;
}
