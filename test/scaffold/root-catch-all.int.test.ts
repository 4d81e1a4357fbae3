import { describe, it } from 'vitest';
import { CHECK_SETUP, generateAndCheck, scaffoldFixture } from '../support/project-check.js';

/**
 * A spec with a path parameter at the root (shlink's `GET /{shortCode}`): every one-segment path is
 * that operation, so the generated tests that sent `/no-such-thing` as an unknown path got its 401
 * and failed (service "unknown paths 404", metrics). They now send a path deeper than any route
 * (`test/generated/unknown-path.ts`). The test templates are common to both frameworks: Fastify is run.
 */
const { spec, work } = scaffoldFixture('root-catch-all.yaml');

const CHECK = `${CHECK_SETUP}
describe('a spec with a catch-all at the root', () => {
  it('serves one-segment paths as its operation', async () => {
    expect((await app.request('GET', '/no-such-thing')).status).toBe(401);
  });
});
`;

describe('a spec with a catch-all at the root in a generated fastify project', () => {
  it('passes its own tests of unknown paths', async () => {
    await generateAndCheck(
      { spec, framework: 'fastify', work },
      {
        name: 'root-catch-all-check.test.ts',
        source: CHECK,
        tests: ['test/generated/service.test.ts', 'test/generated/metrics.test.ts'],
      },
    );
  }, 420_000);
});
