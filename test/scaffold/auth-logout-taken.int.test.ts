import { describe, it } from 'vitest';
import { CHECK_SETUP, generateAndCheck, scaffoldFixture } from '../support/project-check.js';

/**
 * A spec with its own `POST /api/v1/auth/logout` (overseerr): the generated revocation test still
 * revoked a session through tenon's logout on "another replica", met the spec's handler (501), which
 * revokes nothing, and failed in both frameworks. The cases of tenon's own routes the spec takes are
 * left out there as they are skipped elsewhere. Fastify only: the test is a common template, and the
 * route's omission is the same `SPEC_AUTH_ROUTES` check in both frameworks (auth-route-taken.int).
 */
const { spec, work } = scaffoldFixture('auth-logout-taken.yaml');

const CHECK = `${CHECK_SETUP}
import { readFileSync } from 'node:fs';
describe('a spec with its own POST /api/v1/auth/logout', () => {
  it('serves the spec’s operation there', async () => {
    expect((await app.request('POST', '/api/v1/auth/logout', undefined, admin.headers)).status).toBe(501);
  });

  it('the revocation test changes the account only through routes tenon serves', () => {
    const text = readFileSync('test/generated/revocation.test.ts', 'utf8');
    expect(text).not.toContain("['logout', (s) =>");
    expect(text).toContain("'password change',");
    expect(text).toContain("it.skip('logout: the access token of the session is refused (skipped: the spec serves POST /api/v1/auth/logout itself");
  });
});
`;

describe('a spec that declares tenon’s sign-out route in a generated fastify project', () => {
  it('serves the spec’s sign-out; the project’s own revocation and auth tests pass', async () => {
    await generateAndCheck(
      { spec, framework: 'fastify', work },
      {
        name: 'auth-logout-taken-check.test.ts',
        source: CHECK,
        tests: ['test/generated/revocation.test.ts', 'test/generated/auth.test.ts'],
      },
    );
  }, 420_000);
});
