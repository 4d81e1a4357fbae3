import { SPEC_AUTH_ROUTES } from '../../src/generated/policy.js';

/**
 * How a test of tenon's own auth `routes` (`POST /api/v1/auth/login`) runs: as written when the
 * project serves them all; skipped when the spec declares one of them itself (the spec's operation
 * is served there, not tenon's route), with the reason at the end of the test's name, so vitest
 * lists it as skipped and says why.
 */
export function ownRoutes(...routes: string[]): { skip: boolean; reason: string } {
  const taken = routes.find((route) => SPEC_AUTH_ROUTES.has(route));
  return taken
    ? { skip: true, reason: ` (skipped: the spec serves ${taken} itself, so tenon’s own route is not served)` }
    : { skip: false, reason: '' };
}
