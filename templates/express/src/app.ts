import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { authenticate, unauthenticated } from './auth/access-control.js';
import { createAuthService } from './auth/auth-service.js';
import { createAccessTokens } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { routes } from './generated/routes.js';
import { UNSCOPED } from './http/access.js';
import { authRoutes } from './http/auth-routes.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { healthRoutes } from './http/health.js';
import { loggerOptions } from './logger.js';
import { plugins } from './plugins.js';

/** What the app needs from outside: settings and the database. */
export interface AppDependencies {
  config: Config;
  db: Db;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the Express app without listening, so tests and the server
 * both start it with their own HTTP server.
 */
export async function buildApp({ config, db }: AppDependencies): Promise<Express> {
  const app = express();
  const logger = pino(loggerOptions(config));
  app.disable('x-powered-by');
  // API responses are not cached by validators; hashing every body for an ETag costs throughput.
  app.set('etag', false);
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');
  app.locals.logger = logger;
  app.use(
    pinoHttp({
      logger,
      // A client's X-Request-Id is kept when it looks like an id, so logs join across services.
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
    }),
  );
  const tokens = createAccessTokens(config, () =>
    logger.warn('JWT_SECRET is not set: using a random key for this process (tokens end with it); set JWT_SECRET'),
  );
  const auth = createAuthService(db, config, tokens);
  // Who is calling (undefined without a valid access token). Deciding what they may do is
  // addRoute's job: generated routes check the policy, the rest need a caller unless public.
  app.use(async (req: Request, _res: Response, next: NextFunction) => {
    req.scope = UNSCOPED;
    req.principal = await authenticate(tokens, req.headers.authorization);
    next();
  });
  app.use(express.json({ limit: config.BODY_LIMIT_BYTES }));

  app.use(healthRoutes(db));
  app.use(authRoutes(auth));
  app.use(routes({ db }));
  // Your routes (plugins.ts) are for authenticated callers only: deny by default.
  app.use((req: Request, _res: Response, next: NextFunction) => next(req.principal ? undefined : unauthenticated()));
  app.use(await plugins({ config, db }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
