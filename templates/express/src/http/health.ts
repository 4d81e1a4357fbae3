import { type Response, Router } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { type HealthAnswer, healthAnswers } from '../generated/health-answers.js';
import { openapiDocument } from '../generated/openapi.js';
import { unavailable } from './errors.js';
import { type Lifecycle, withTimeout } from './lifecycle.js';

/** tenon's answer of a healthy check. */
const OK = { success: true, data: { status: 'ok' } };

/**
 * `/health/live` (the process answers), `/health/ready` (the database answers
 * within HEALTH_TIMEOUT_MS and the server is not shutting down) and `/openapi.json`. A check the
 * spec declares itself answers in the spec's shape (`healthAnswers`).
 */
export function healthRoutes(db: Db, config: Config): Router {
  const router = Router({ caseSensitive: true, strict: true });
  // The spec's own answer where it declares the check: its media type, then its body.
  const answer = (res: Response, declared: HealthAnswer | undefined) => {
    if (!declared) res.json(OK);
    else if (/json/.test(declared.media)) res.type(declared.media).send(JSON.stringify(declared.body));
    else res.type(declared.media).send(String(declared.body));
  };
  router.get('/health/live', (_req, res) => {
    answer(res, healthAnswers.live);
  });
  router.get('/health/ready', async (req, res) => {
    if ((req.app.locals.lifecycle as Lifecycle).draining) throw unavailable('The server is shutting down.');
    try {
      await withTimeout(db.ping(), config.HEALTH_TIMEOUT_MS);
    } catch {
      throw unavailable('The database is not reachable.');
    }
    answer(res, healthAnswers.ready);
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(openapiDocument);
  });
  return router;
}
