import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A path no route can hold (`/things:count`, a Google-style custom method) no longer refuses the
 * whole spec: that operation is left out (warning `operation-not-generated`), the rest is served.
 */
const { spec, work } = scaffoldFixture('colon-path.yaml');

const CHECK = `${CHECK_SETUP}
describe('a spec with a path no route can hold', () => {
  it('serves its other operations', async () => {
    const res = await app.request('GET', '/things', undefined, admin.headers);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
  });
});
`;

checkEachFramework(
  'a path with a ":" in a generated %s project',
  'is left out, and the rest is generated and served',
  { spec, work },
  { name: 'colon-path-check.test.ts', source: CHECK, tests: [] },
);
