import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A PUT body narrower than the row (put-partial-body.yaml, Typesense's analytics rules): in a
 * generated project of each framework, `PUT {}` — spec-valid, the body requires nothing — answers
 * 200 keeping what it cannot or need not send (it answered 400, a NOT NULL violation), and a
 * nullable property the PUT declares is reset when left out, as a replacement does.
 */
const { spec, work } = scaffoldFixture('put-partial-body.yaml');

const CHECK = `${CHECK_SETUP}
it('keeps what a PUT body leaves out and the row requires; resets a declared nullable property', async () => {
  const made = await app.request('POST', '/rules', { name: 'popular', kind: 'counter', collection: 'books', weight: 3, note: 'n' }, admin.headers);
  expect(made.status).toBe(201);
  const empty = await app.request('PUT', '/rules/popular', {}, admin.headers);
  expect(empty.status).toBe(200);
  expect(empty.body).toMatchObject({ name: 'popular', kind: 'counter', collection: 'books', weight: 3 });
  expect(empty.body.note).toBeUndefined();
  const moved = await app.request('PUT', '/rules/popular', { collection: 'films', note: 'm' }, admin.headers);
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ name: 'popular', kind: 'counter', collection: 'films', weight: 3, note: 'm' });
  // A property the PUT body does not declare is still refused.
  expect((await app.request('PUT', '/rules/popular', { kind: 'log' }, admin.headers)).status).toBe(400);
});
`;

checkEachFramework(
  'a PUT body narrower than the row in a generated %s project',
  'answers 200 to a spec-valid PUT and the project’s own tests pass',
  { spec, work },
  {
    name: 'put-partial-check.test.ts',
    source: CHECK,
    tests: ['test/generated/rule-create.test.ts', 'test/generated/access.test.ts'],
  },
);
