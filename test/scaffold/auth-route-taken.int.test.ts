import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import {
  CHECK_SETUP,
  checkEachFramework,
  generateAndCheck,
  scaffoldFixture,
} from '../support/project-check.js';

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

/**
 * A spec with its own sign-in at tenon's (`POST /api/v1/auth/login`, a user name and secret in, a
 * session id out): the generated tests used to sign in there and met the spec's handler (501) or its
 * validation (400). Test users now sign in through the auth service in process, and the tests of
 * tenon's login itself are skipped, saying why. Fastify only: the tests and sessions are the
 * frameworks' common templates, and the route's omission is the same `SPEC_AUTH_ROUTES` check in
 * both frameworks, already run in both by the fixtures above (the oracle row of both is in docs/scaffold.md).
 */
const loginSpec = fileURLToPath(new URL('./fixtures/auth-login-taken.yaml', import.meta.url));
const LOGIN_CHECK = `${CHECK_SETUP}
import { readFileSync } from 'node:fs';
describe('a spec with its own POST /api/v1/auth/login', () => {
  it('serves the spec’s operation there: its validation, then its handler', async () => {
    const tenons = await app.request('POST', '/api/v1/auth/login', { email: 'a@example.test', password: 'Pw-12345678' });
    expect(tenons.status).toBe(400);
    const specs = await app.request('POST', '/api/v1/auth/login', { username: 'ada', secret: 'correct-horse' });
    expect(specs.status).toBe(501);
  });

  it('test users still sign in, and reach the spec’s resources', async () => {
    expect((await app.request('GET', '/notes', undefined, admin.headers)).status).toBe(200);
    expect((await app.request('GET', '/notes')).status).toBe(401);
  });

  it('tenon’s other auth routes are still served, and still on the stricter budget', async () => {
    const res = await app.request('POST', '/api/v1/auth/refresh', { refreshToken: admin.refreshToken });
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-limit']).toBe(String(app.config.RATE_LIMIT_AUTH_MAX));
  });

  it('the project’s own tests of tenon’s login are skipped, saying why', () => {
    const text = readFileSync('test/generated/idempotency.test.ts', 'utf8');
    expect(text).toContain("it.skip('takes no part in the token endpoints: a replayed login never hands out stored tokens (skipped: the spec serves POST /api/v1/auth/login itself");
  });
});
`;

describe('a spec that declares tenon’s sign-in route in a generated fastify project', () => {
  it('serves the spec’s sign-in; the project’s own tests sign in in process and pass', async () => {
    await generateAndCheck(
      { spec: loginSpec, framework: 'fastify', work: join(work, 'login') },
      {
        name: 'auth-login-taken-check.test.ts',
        source: LOGIN_CHECK,
        tests: [
          ...OWN_AUTH_TESTS,
          ...['access', 'idempotency', 'rate-limit'].map((n) => `test/generated/${n}.test.ts`),
        ],
      },
    );
  }, 420_000);
});
