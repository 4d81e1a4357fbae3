import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A spec that declares one of tenon's own auth routes (`GET /api/v1/auth/me`) is served as it says,
 * in both frameworks: Fastify used to refuse to start (the route declared twice) and Express answered
 * with tenon's route. The spec's operation is a handler (501 until written); tenon's other auth routes stay.
 * The project's own tests of tenon's auth routes follow the same list: those that need tenon's
 * `GET /me` are skipped and say why; the others pass.
 */
const { spec, work } = scaffoldFixture('auth-route-taken.yaml');

/** The project's own tests that call tenon's auth routes, `GET /me` among them. */
const OWN_AUTH_TESTS = ['auth', 'grants', 'jwt-attacks', 'revocation', 'security-events'].map(
  (name) => `test/generated/${name}.test.ts`,
);

const CHECK = `${CHECK_SETUP}
import { readFileSync } from 'node:fs';
describe('a spec operation at one of tenon’s auth routes', () => {
  it('GET /api/v1/auth/me is the spec’s handler, not tenon’s', async () => {
    const res = await app.request('GET', '/api/v1/auth/me', undefined, admin.headers);
    expect(res.status).toBe(501);
  });

  it('the project’s own tests of tenon’s GET /me are skipped, saying why', () => {
    const text = readFileSync('test/generated/auth.test.ts', 'utf8');
    expect(text).toContain("it.skip('GET /me answers the caller, and 401 without a token (skipped: the spec serves GET /api/v1/auth/me itself");
  });

  it('tenon’s other auth routes are still served', async () => {
    const res = await app.request('POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong-password-1' });
    expect(res.status).toBe(401);
  });
});
`;

checkEachFramework(
  'a spec path equal to a tenon auth route in a generated %s project',
  'starts and serves the spec’s operation there',
  { spec, work },
  { name: 'auth-route-taken-check.test.ts', source: CHECK, tests: OWN_AUTH_TESTS },
);

/** A parameter path over tenon's `GET /me` (`GET /api/v1/auth/{provider}`) takes it the same way. */
const paramSpec = fileURLToPath(new URL('./fixtures/auth-param-route.yaml', import.meta.url));
const PARAM_CHECK = `${CHECK_SETUP}
describe('a spec parameter path over one of tenon’s auth routes', () => {
  it('GET /api/v1/auth/me is the spec’s handler (provider "me"), in either framework', async () => {
    expect((await app.request('GET', '/api/v1/auth/me', undefined, admin.headers)).status).toBe(501);
    expect((await app.request('GET', '/api/v1/auth/github', undefined, admin.headers)).status).toBe(501);
  });
});
`;

checkEachFramework(
  'a spec parameter path over a tenon auth route in a generated %s project',
  'serves the spec’s operation for every value, and the project’s own tests pass',
  { spec: paramSpec, work: join(work, 'param') },
  { name: 'auth-param-route-check.test.ts', source: PARAM_CHECK, tests: OWN_AUTH_TESTS },
);
