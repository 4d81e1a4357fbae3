import type { HealthAnswers } from './serving-model.js';

/** One of the routes every generated project serves itself. */
export interface OwnRoute {
  /** What it serves, for the report (`its liveness check: …`). */
  serves: string;
  /** The health check it is, whose answer a spec declaring the route shapes (own-route-answers.ts); none for the document. */
  health?: keyof HealthAnswers;
}

/**
 * The routes every generated project serves itself, by path (templates' src/http/health.ts): its
 * probes and its spec document. A spec's `GET` of one is not generated (two routes on one path
 * would stop Fastify from starting); its 200 shapes the probe's answer. The projects list the
 * same paths in `OWN_ROUTES` of src/auth/access-control.ts (open to anonymous callers, the probes
 * never rate limited): test/scaffold/own-routes.test.ts keeps the two equal.
 */
export const OWN_ROUTES: ReadonlyMap<string, OwnRoute> = new Map<string, OwnRoute>([
  ['/health/live', { serves: 'its liveness check: 200 while the process answers', health: 'live' }],
  [
    '/health/ready',
    { serves: 'its readiness check: 200 when the database answers, 503 otherwise', health: 'ready' },
  ],
  ['/openapi.json', { serves: 'the spec document' }],
]);
