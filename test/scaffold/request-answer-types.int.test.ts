import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * listmonk's campaign in a generated project of each framework: a create
 * with `send_at` as the request declares it (an object; the answers have a
 * date-time string), `type` as any string (the answers have an enum) and `lists` as ids (the answers have objects) is taken,
 * and answered per the answer schema: the ids as `{ id }` objects, no
 * `send_at` (nothing stored it). The project's own campaign tests pass.
 */
const { spec, work } = scaffoldFixture('request-answer-types.yaml');

const CHECK = `${CHECK_SETUP}
it('takes ids and an object as the request declares them, and answers as the answers declare', async () => {
  const body = { name: 'spring', type: 'any', lists: [1, 2], send_at: { headers: [{}], template_id: 3 } };
  const created = await app.request('POST', '/campaigns', body, admin.headers);
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  expect(created.body).toEqual(expect.objectContaining({ name: 'spring', lists: [{ id: 1 }, { id: 2 }] }));
  expect(created.body).not.toHaveProperty('send_at');
  expect(created.body).not.toHaveProperty('type');
  const url = '/campaigns/' + created.body.id;
  const put = await app.request('PUT', url, { lists: [3], send_at: {} }, admin.headers);
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  expect((await app.request('GET', url, undefined, admin.headers)).body.lists).toEqual([{ id: 3 }]);
  const wrong = await app.request('POST', '/campaigns', { send_at: '2024-01-01T00:00:00Z' }, admin.headers);
  expect(wrong.status).toBe(400);
});
`;

checkEachFramework(
  'request and answer types of one property in a generated %s project',
  'serves the campaign as both declare it, and the project’s own tests pass',
  { spec, work },
  { name: 'types-check.test.ts', source: CHECK, tests: ['test/generated/campaign.test.ts'] },
);
