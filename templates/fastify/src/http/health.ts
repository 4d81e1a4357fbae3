import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { openapiDocument } from '../generated/openapi.js';
import { unavailable } from './errors.js';
import { withTimeout } from './lifecycle.js';

/**
 * `/health/live` (the process answers), `/health/ready` (the database answers
 * within HEALTH_TIMEOUT_MS and the server is not shutting down) and `/openapi.json`.
 */
export async function healthRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }): Promise<void> {
  app.get('/health/live', async () => ({ success: true, data: { status: 'ok' } }));
  app.get('/health/ready', async () => {
    if (app.lifecycle.draining) throw unavailable('The server is shutting down.');
    try {
      await withTimeout(db.ping(), config.HEALTH_TIMEOUT_MS);
    } catch {
      throw unavailable('The database is not reachable.');
    }
    return { success: true, data: { status: 'ok' } };
  });
  app.get('/openapi.json', async () => openapiDocument);
}
