import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A resource the spec only reads by its key (`GET /rates/{code}`): nothing to create or list. The
 * project's own hardening test used to expect more than 20 recorded requests whenever the spec had a
 * resource, and failed with 19 (the header, CORS and method checks); it now counts what it can send.
 */
const { spec, work } = scaffoldFixture('read-only-resource.yaml');

const CHECK = `${CHECK_SETUP}
describe('a read-only resource', () => {
  it('answers 404 for a key it does not hold', async () => {
    const res = await app.request('GET', '/rates/XXX', undefined, admin.headers);
    expect(res.status).toBe(404);
  });
});
`;

checkEachFramework(
  'a read-only resource in a generated %s project',
  'serves its GET, and the project’s own hardening test passes',
  { spec, work },
  { name: 'read-only-resource-check.test.ts', source: CHECK, tests: ['test/generated/hardening.test.ts'] },
);
