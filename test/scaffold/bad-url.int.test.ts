import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A path whose percent-escapes are not UTF-8 (`/notes/%ED%A0%80`, a lone surrogate) names no value a
 * route's parameter can hold. Both frameworks answer it as a path no route answers: 404 in the
 * envelope, with the request id — Fastify's router answered its own 400 (FST_ERR_BAD_URL, in
 * Fastify's format, without the id) and Express's a 400 while decoding the parameter, which a spec
 * whose validation status is 422 (FastAPI's) declares nowhere: the generated hardening test of
 * full-stack-fastapi-template failed in both. Generated from `fixtures/bad-url-422.yaml`.
 */
const { spec, work } = scaffoldFixture('bad-url-422.yaml');

const CHECK = `${CHECK_SETUP}
describe('a path that is not valid percent-encoded UTF-8', () => {
  it.each(['/notes/%ED%A0%80', '/notes/%E0%A4', '/notes/%'])('%s is 404 in the envelope with the request id', async (url) => {
    for (const headers of [admin.headers, {}]) {
      const res = await app.request('GET', url, undefined, headers);
      expect(res.status).toBe(404);
      expect(res.headers['x-request-id']).toMatch(/./);
      expect(res.body.error.code).toBe('NOT_FOUND');
      // The security headers of every answer (Fastify's bad-URL handler copies them, computed once).
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(res.headers['content-security-policy'])).toMatch(/default-src 'none'/);
    }
  });

  it('a well-formed key that is not a uuid is still the spec’s 422', async () => {
    const res = await app.request('GET', '/notes/not-a-uuid', undefined, admin.headers);
    expect(res.status).toBe(422);
  });
});
`;

checkEachFramework(
  'an undecodable path in a generated %s project',
  'is 404 with the request id, and the project’s own hardening tests pass',
  { spec, work },
  { name: 'bad-url-check.test.ts', source: CHECK, tests: ['test/generated/hardening.test.ts'] },
);
