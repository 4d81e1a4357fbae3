import type { AccessRule } from './access-policy.js';
import type { ModelWarning } from './api-model.js';

/** The routes every generated project serves for its own accounts (templates' src/http/auth-routes.ts). */
export const OWN_AUTH_ROUTES: readonly string[] = [
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/password',
];

/**
 * tenon's own auth routes that a spec operation declares with the same method and path
 * (`GET /api/v1/auth/me`). The spec's operation is served there and tenon's route is left out:
 * two routes cannot share a method and path (Fastify refuses to start, Express would answer
 * with the first), and the API serves what its spec says.
 */
export function specTakenAuthRoutes(rules: readonly Pick<AccessRule, 'route'>[]): string[] {
  const declared = new Set(rules.map((r) => r.route));
  return OWN_AUTH_ROUTES.filter((route) => declared.has(route));
}

/** One warning (code `auth-route-taken`) for each of tenon's auth routes the spec takes over. */
export function authRouteWarnings(taken: readonly string[]): ModelWarning[] {
  return taken.map((route) => ({
    at: route,
    code: 'auth-route-taken',
    message: `The spec declares ${route}, one of tenon's own auth routes; the spec's operation is served there and tenon's is not.`,
    hint: "Keep the path to serve the spec's operation there, or move it off /api/v1/auth to keep tenon's route.",
  }));
}
