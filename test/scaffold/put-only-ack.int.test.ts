import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * karakeep's `PUT /admin/users/{userId}`, its resource's only operation: it declares 404 and
 * answers `{ success: boolean }`. In a generated project of each framework its own tests pass, and
 * a check written into it gets `{ success: true }` for a replacement that the row then holds, and
 * a 404 — no new row — for a key that names none.
 */
const { spec, work } = scaffoldFixture('put-only-ack.yaml');

const CHECK = `${CHECK_SETUP}import { createUser } from './fixtures.js';

it('answers the acknowledgement, replaces the row, and creates none for a missing key', async () => {
  const row = await createUser(app.db, 900);
  const put = await app.request('PUT', '/admin/users/' + encodeURIComponent(row.id), { role: 'admin', bookmarkQuota: 7 }, admin.headers);
  expect(put.status).toBe(200);
  expect(put.body).toEqual({ success: true });
  const stored = await app.db.query('select * from users where id = $1', [row.id]);
  expect(stored.rows[0]).toMatchObject({ role: 'admin' });
  const count = async () => Number((await app.db.query('select count(*) as n from users')).rows[0].n);
  const before = await count();
  expect((await app.request('PUT', '/admin/users/no-such-user', { role: 'user' }, admin.headers)).status).toBe(404);
  expect(await count()).toBe(before);
});
`;

checkEachFramework(
  'a PUT-only resource answering an acknowledgement in a generated %s project',
  'answers { success: true }, 404 for a missing key, and the project’s own tests pass',
  { spec, work },
  {
    name: 'put-only-ack-check.test.ts',
    source: CHECK,
    tests: ['test/generated/user.test.ts', 'test/generated/access.test.ts'],
    allCrud: true,
  },
);
