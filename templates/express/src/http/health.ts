import { Router } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { openapiDocument } from '../generated/openapi.js';
import { unavailable } from './errors.js';
import { type Lifecycle, withTimeout } from './lifecycle.js';

/**
 * `/health/live` (the process answers), `/health/ready` (the database answers
 * within HEALTH_TIMEOUT_MS and the server is not shutting down) and `/openapi.json`.
 */
export function healthRoutes(db: Db, config: Config): Router {
  const router = Router({ caseSensitive: true, strict: true });
  router.get('/health/live', (_req, res) => {
    res.json({ success: true, data: { status: 'ok' } });
  });
  router.get('/health/ready', async (req, res) => {
    if ((req.app.locals.lifecycle as Lifecycle).draining) throw unavailable('The server is shutting down.');
    try {
      await withTimeout(db.ping(), config.HEALTH_TIMEOUT_MS);
    } catch {
      throw unavailable('The database is not reachable.');
    }
    res.json({ success: true, data: { status: 'ok' } });
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(openapiDocument);
  });
  return router;
}
