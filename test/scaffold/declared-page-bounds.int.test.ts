import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A list declaring its own page bounds (`limit` 0–500) and a `sort` enum without `id`
 * (declared-page-bounds.yaml): in a generated project of each framework, `limit=0`, valid per
 * the spec, answers an empty page (it was a 500: the next cursor named the last row of none),
 * `limit=500` is taken and `limit=501` refused; the project's own list and hardening tests,
 * whose probes now come from the spec's bounds and sort values, pass.
 */
const { spec, work } = scaffoldFixture('declared-page-bounds.yaml');

const CHECK = `${CHECK_SETUP}
describe('the spec´s page bounds', () => {
  it('answers limit=0 with an empty page, takes the maximum and refuses one over it', async () => {
    for (const title of ['a', 'b']) expect((await app.request('POST', '/notes', { title }, admin.headers)).status).toBe(201);
    const none = await app.request('GET', '/notes?limit=0', undefined, admin.headers);
    expect(none.status).toBe(200);
    expect(none.body).toEqual([]);
    expect(none.headers['x-next-cursor']).toBeUndefined();
    expect((await app.request('GET', '/notes?limit=500&sort=-title', undefined, admin.headers)).status).toBe(200);
    expect((await app.request('GET', '/notes?limit=501', undefined, admin.headers)).status).toBe(400);
  });
});
`;

checkEachFramework(
  'a list declaring its own page bounds in a generated %s project',
  'answers every limit the spec allows; the project’s own tests pass',
  { spec, work },
  {
    name: 'page-bounds-check.test.ts',
    source: CHECK,
    tests: ['test/generated/note.test.ts', 'test/generated/hardening.test.ts'],
  },
  { timeout: 600_000 },
);
