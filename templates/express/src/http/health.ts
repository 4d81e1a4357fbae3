import { Router } from 'express';
import type { Db } from '../db/database.js';
import { openapiDocument } from '../generated/openapi.js';
import { unavailable } from './errors.js';

/** `/health/live` (the process answers), `/health/ready` (the database answers) and `/openapi.json`. */
export function healthRoutes(db: Db): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ success: true, data: { status: 'ok' } });
  });
  router.get('/health/ready', async (_req, res) => {
    try {
      await db.ping();
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
