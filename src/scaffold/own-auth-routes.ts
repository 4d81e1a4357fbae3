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

/** One of tenon's auth routes and the spec route that takes it. */
export interface AuthRouteClaim {
  /** tenon's route (`GET /api/v1/auth/me`), left out of the generated project. */
  own: string;
  /** The spec's route that matches it: the same, or a parameter path over it (`GET /api/v1/auth/:x`). */
  by: string;
}

/** Whether `spec` (`METHOD /a/:b`) matches the request `own` (`METHOD /a/c`): a `:name` segment matches any one segment. */
function matches(spec: string, own: string): boolean {
  const [specMethod, specPath = ''] = spec.split(' ');
  const [ownMethod, ownPath = ''] = own.split(' ');
  if (specMethod !== ownMethod) return false;
  const a = specPath.split('/');
  const b = ownPath.split('/');
  // A segment with a parameter anywhere in it (`:id`, `file.:ext`) is taken to match: the router
  // would try it, and a spec route that may answer tenon's path is one to report, not to guess about.
  return a.length === b.length && a.every((seg, i) => seg === b[i] || /(^|[^\\]):/.test(seg));
}

/**
 * tenon's own auth routes that a spec operation declares with the same method and path
 * (`GET /api/v1/auth/me`) or with a parameter path that matches it (`GET /api/v1/auth/{x}`).
 * The spec's operation is served there and tenon's route is left out: two routes cannot share a
 * method and path (Fastify refuses to start, Express would answer with the first), a parameter
 * route would answer some of its values with tenon's route instead of the spec's operation, and
 * the API serves what its spec says.
 */
export function authRouteClaims(rules: readonly Pick<AccessRule, 'route'>[]): AuthRouteClaim[] {
  const claims: AuthRouteClaim[] = [];
  for (const own of OWN_AUTH_ROUTES) {
    const exact = rules.find((r) => r.route === own);
    const by = exact ?? rules.find((r) => matches(r.route, own));
    if (by) claims.push({ own, by: by.route });
  }
  return claims;
}

/** tenon's own auth routes the spec takes ({@link authRouteClaims}): not served by the generated project. */
export function specTakenAuthRoutes(rules: readonly Pick<AccessRule, 'route'>[]): string[] {
  return authRouteClaims(rules).map((c) => c.own);
}

/**
 * tenon's own auth routes the generated project serves: all of them but those the spec takes
 * ({@link authRouteClaims}). Only these are tenon's: a spec operation elsewhere under
 * `/api/v1/auth/` (its own `POST /api/v1/auth/api-keys`) is one of the API's, an Idempotency-Key
 * and all.
 */
export function servedAuthRoutes(rules: readonly Pick<AccessRule, 'route'>[]): string[] {
  const taken = new Set(specTakenAuthRoutes(rules));
  return OWN_AUTH_ROUTES.filter((route) => !taken.has(route));
}

/** One warning (code `auth-route-taken`) for each of tenon's auth routes the spec takes over. */
export function authRouteWarnings(claims: readonly AuthRouteClaim[]): ModelWarning[] {
  return claims.map(({ own, by }) => ({
    at: by === own ? own : by,
    code: 'auth-route-taken',
    message:
      by === own
        ? `The spec declares ${own}, one of tenon's own auth routes; the spec's operation is served there and tenon's is not.`
        : `The spec declares ${by}, which also matches ${own}, one of tenon's own auth routes; the spec's operation is served for every value and tenon's route is not.`,
    hint: "Keep the path to serve the spec's operation there, or move it off /api/v1/auth to keep tenon's route.",
  }));
}

/**
 * How a generated test of tenon's own `routes` is written: as written when the project serves
 * them all; skipped, with the reason in its name, when the spec takes one (vitest lists it as
 * skipped and says why — never a silent skip). `skip` follows `it`/`describe`; `reason` ends the name.
 * The project's test/generated/own-routes.ts says the same at run time for the tests that are not templates.
 */
export function ownRouteTest(
  taken: readonly string[],
  ...routes: string[]
): { skip: string; reason: string } {
  const route = routes.find((r) => taken.includes(r));
  return route
    ? {
        skip: '.skip',
        reason: ` (skipped: the spec serves ${route} itself, so tenon’s own route is not served)`,
      }
    : { skip: '', reason: '' };
}
