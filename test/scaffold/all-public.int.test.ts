import { describe, it } from 'vitest';
import { CHECK_SETUP, generateAndCheck, scaffoldFixture } from '../support/project-check.js';

/**
 * A spec whose every operation is public (`security: []` at the root: ollama's API): the generated
 * access test "an admin demoted by npm run grant is refused" picked a public POST as the admin-only
 * operation, which anyone may call, and failed in both frameworks (400 or 501, not 403). The test
 * template is common to both frameworks: Fastify is run.
 */
const { spec, work } = scaffoldFixture('all-public.yaml');

const CHECK = `${CHECK_SETUP}
describe('a spec whose operations are all public', () => {
  it('serves them to anonymous callers', async () => {
    expect((await app.request('POST', '/api/copy')).status).toBe(501);
  });
});
`;

describe('a spec whose operations are all public in a generated fastify project', () => {
  it('passes its own access tests', async () => {
    await generateAndCheck(
      { spec, framework: 'fastify', work },
      { name: 'all-public-check.test.ts', source: CHECK, tests: ['test/generated/access.test.ts'] },
    );
  }, 420_000);
});
