import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';
import { expectProjectLints } from '../support/project-tool.js';

/**
 * A resource with no CRUD read or list whose create and PUT answer the row under a key beside a
 * list (Discourse's `POST /admin/badges.json` → `{ badge_types, badge }`): those operations are
 * handlers of their own (501 until written) instead of 200s that break the spec, and the project
 * left with a DELETE alone still passes its own lint (its test file has no collection URL to use).
 */
const { spec, work } = scaffoldFixture('answer-beside-row.yaml');

const CHECK = `${CHECK_SETUP}
describe('answers the row cannot give', () => {
  it('are handlers of their own until written (501), not answers that break the spec', async () => {
    const made = await app.request('POST', '/boards.json', { name: 'a' }, admin.headers);
    expect(made.status).toBe(501);
    const put = await app.request('PUT', '/boards/1.json', { name: 'a' }, admin.headers);
    expect(put.status).toBe(501);
  });
});
`;

checkEachFramework(
  'create and PUT answers no row gives, in a generated %s project',
  'are handlers of their own; the project passes its own lint and resource tests',
  { spec, work },
  {
    name: 'answer-beside-row-check.test.ts',
    source: CHECK,
    tests: ['test/generated/board.test.ts'],
  },
  { afterwards: (project) => expectProjectLints(project.dir, project.modules) },
);
