import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { openapiDocument } from '../generated/openapi.js';
import { unavailable } from './errors.js';

/** `/health/live` (the process answers), `/health/ready` (the database answers) and `/openapi.json`. */
export async function healthRoutes(app: FastifyInstance, { db }: { db: Db }): Promise<void> {
  app.get('/health/live', async () => ({ success: true, data: { status: 'ok' } }));
  app.get('/health/ready', async () => {
    try {
      await db.ping();
    } catch {
      throw unavailable('The database is not reachable.');
    }
    return { success: true, data: { status: 'ok' } };
  });
  app.get('/openapi.json', async () => openapiDocument);
}
