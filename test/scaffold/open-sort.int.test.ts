import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A declared `sort` of no enum (open-sort.yaml): in a generated project of each framework, a
 * value the spec allows and that names no column (`usage`) answers 200 sorted by id (it was a
 * 400: tenon's enum of sort keys stayed); a sort key still sorts; the spec's maxLength still holds.
 */
const { spec, work } = scaffoldFixture('open-sort.yaml');

const CHECK = `${CHECK_SETUP}
describe('a sort of any text', () => {
  it('sorts by a key, by id for any other value, and refuses what the schema refuses', async () => {
    for (const title of ['b', 'c', 'a']) expect((await app.request('POST', '/notes', { title }, admin.headers)).status).toBe(201);
    const byTitle = await app.request('GET', '/notes?sort=-title', undefined, admin.headers);
    expect(byTitle.status).toBe(200);
    expect(byTitle.body.map((n: { title: string }) => n.title)).toEqual(['c', 'b', 'a']);
    const usage = await app.request('GET', '/notes?sort=usage', undefined, admin.headers);
    expect(usage.status).toBe(200);
    expect(usage.body.map((n: { title: string }) => n.title)).toEqual(['b', 'c', 'a']);
    expect((await app.request('GET', \`/notes?sort=\${'x'.repeat(41)}\`, undefined, admin.headers)).status).toBe(400);
  });
});
`;

checkEachFramework(
  'a declared sort of no enum in a generated %s project',
  'answers every value the spec allows; the project’s own tests pass',
  { spec, work },
  {
    name: 'open-sort-check.test.ts',
    source: CHECK,
    tests: ['test/generated/note.test.ts', 'test/generated/hardening.test.ts'],
  },
  { timeout: 600_000 },
);
