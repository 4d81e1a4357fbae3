import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';
import { expectProjectLints } from '../support/project-tool.js';

/**
 * Answers of their own (answer-shapes.yaml, listmonk's `CampaignUpdate` beside `Campaign`): in a
 * generated project of each framework, POST and PUT answer `lists` as the ids GET embeds as objects,
 * leave out a declared property the row holds in another type, and a create answering objects
 * where GET answers ids writes `{ id }` objects; a list of closed summary items (`TagSummary`, no
 * id) answers only their properties; the project's own tests, ESLint and tsc pass.
 */
const { spec, work } = scaffoldFixture('answer-shapes.yaml');

const CHECK = `${CHECK_SETUP}
describe('answers of their own', () => {
it('answers create and update in their own schema, GET in the item', async () => {
  const made = await app.request('POST', '/campaigns', { name: 'spring', lists: [3, 5] }, admin.headers);
  expect(made.status).toBe(201);
  expect(made.body).toEqual({ id: made.body.id, name: 'spring', lists: [3, 5] });
  const read = await app.request('GET', \`/campaigns/\${made.body.id}\`, undefined, admin.headers);
  expect(read.status).toBe(200);
  expect(read.body.lists).toEqual([{ id: 3 }, { id: 5 }]);
  await app.db.query("update campaigns set send_at = 'soon' where id = $1", [made.body.id]);
  const put = await app.request('PUT', \`/campaigns/\${made.body.id}\`, { name: 'summer', lists: [7] }, admin.headers);
  expect(put.status).toBe(200);
  // send_at is a string in the row and an object in CampaignUpdate: left out, not written wrong.
  expect(put.body).toEqual({ id: made.body.id, name: 'summer', lists: [7] });
  expect((await app.request('GET', '/campaigns', undefined, admin.headers)).body[0].send_at).toBe('soon');
  const board = await app.request('POST', '/boards', { title: 'b', members: [1, 2] }, admin.headers);
  expect(board.status).toBe(201);
  expect(board.body.data.members).toEqual([{ id: 1 }, { id: 2 }]);
  const got = await app.request('GET', \`/boards/\${board.body.data.id}\`, undefined, admin.headers);
  expect(got.body.data.members).toEqual([1, 2]);
});
it('answers the list in its closed summary of the row, GET by id in the whole row', async () => {
  const tag = await app.request('POST', '/tags', { name: 'red', uses: 3, note: 'warm' }, admin.headers);
  expect(tag.status).toBe(201);
  expect(tag.body).toEqual({ id: tag.body.id, name: 'red', uses: 3, note: 'warm' });
  const list = await app.request('GET', '/tags', undefined, admin.headers);
  expect(list.status).toBe(200);
  expect(list.body).toContainEqual({ name: 'red', uses: 3 });
  for (const item of list.body) expect(Object.keys(item).every((k) => k === 'name' || k === 'uses')).toBe(true);
});
});
`;

checkEachFramework(
  'answers of their own in a generated %s project',
  'writes each answer in its declared schema; the project’s tests, ESLint and tsc pass',
  { spec, work },
  {
    name: 'answer-shapes-check.test.ts',
    source: CHECK,
    tests: ['test/generated/campaign.test.ts', 'test/generated/board.test.ts', 'test/generated/tag.test.ts'],
  },
  {
    timeout: 600_000,
    afterwards: (project) => expectProjectLints(project.dir, project.modules),
  },
);
