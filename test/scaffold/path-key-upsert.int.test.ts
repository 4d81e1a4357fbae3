import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A resource written only by PUT /aliases/{aliasName}, keyed by the readOnly,
 * required Alias.name: in a generated project of each framework, its own
 * generated tests pass (they used to insert rows without the name: a not-null
 * violation), and a check written into the project reads, replaces and
 * deletes a row by the path's name, the PUT keeping the name the path gives.
 */
const { spec, work } = scaffoldFixture('path-key-upsert.yaml');

const CHECK = `${CHECK_SETUP}import { createAlias } from './fixtures.js';

it('finds, replaces and deletes a row by the name in the path', async () => {
  const row = await createAlias(app.db, 900);
  const url = '/aliases/' + encodeURIComponent(row.name);
  expect((await app.request('GET', url, undefined, admin.headers)).body).toMatchObject({ name: row.name });
  const put = await app.request('PUT', url, { collection_name: 'books_v2' }, admin.headers);
  expect(put.status).toBe(200);
  expect(put.body).toEqual(expect.objectContaining({ name: row.name, collection_name: 'books_v2' }));
  expect((await app.request('GET', '/aliases/missing-one', undefined, admin.headers)).status).toBe(404);
  expect((await app.request('DELETE', url, undefined, admin.headers)).status).toBe(200);
  expect((await app.request('GET', url, undefined, admin.headers)).status).toBe(404);
});
`;

checkEachFramework(
  'a PUT-only resource keyed by {aliasName} in a generated %s project',
  'is CRUD by Alias.name, and the project’s own tests pass',
  { spec, work },
  {
    name: 'alias-key-check.test.ts',
    source: CHECK,
    tests: ['test/generated/alias.test.ts', 'test/generated/access.test.ts'],
    allCrud: true,
  },
);
