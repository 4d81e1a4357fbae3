import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { type HealthAnswer, healthAnswers } from '../generated/health-answers.js';
import { openapiDocument } from '../generated/openapi.js';
import { unavailable } from './errors.js';
import { withTimeout } from './lifecycle.js';

/** tenon's answer of a healthy check. */
const OK = { success: true, data: { status: 'ok' } };

/**
 * `/health/live` (the process answers), `/health/ready` (the database answers
 * within HEALTH_TIMEOUT_MS and the server is not shutting down) and `/openapi.json`. A check the
 * spec declares itself answers in the spec's shape (`healthAnswers`).
 */
export async function healthRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }): Promise<void> {
  // The spec's own answer where it declares the check: its media type, then its body.
  const answer = (reply: FastifyReply, declared: HealthAnswer | undefined) => {
    if (!declared) return OK;
    void reply.type(declared.media);
    return declared.body;
  };
  app.get('/health/live', async (_request, reply) => answer(reply, healthAnswers.live));
  app.get('/health/ready', async (_request, reply) => {
    if (app.lifecycle.draining) throw unavailable('The server is shutting down.');
    try {
      await withTimeout(db.ping(), config.HEALTH_TIMEOUT_MS);
    } catch {
      throw unavailable('The database is not reachable.');
    }
    return answer(reply, healthAnswers.ready);
  });
  app.get('/openapi.json', async () => openapiDocument);
}
