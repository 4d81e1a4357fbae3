import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { CHECK_SETUP, checkEachFramework } from '../support/project-check.js';

/**
 * A spec that declares one of tenon's own auth routes (`GET /api/v1/auth/me`) is served as it says,
 * in both frameworks: Fastify used to refuse to start (the route declared twice) and Express answered
 * with tenon's route. The spec's operation is a handler (501 until written); tenon's other auth routes stay.
 */
const spec = fileURLToPath(new URL('./fixtures/auth-route-taken.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-auth-route-taken-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CHECK = `${CHECK_SETUP}
describe('a spec operation at one of tenon’s auth routes', () => {
  it('GET /api/v1/auth/me is the spec’s handler, not tenon’s', async () => {
    const res = await app.request('GET', '/api/v1/auth/me', undefined, admin.headers);
    expect(res.status).toBe(501);
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
  { name: 'auth-route-taken-check.test.ts', source: CHECK, tests: [] },
);
