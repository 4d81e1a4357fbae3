import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A create body that requires the id of another row (Discourse's `POST /post_actions.json`: `id`
 * is the post to like) with no operation naming a row by an id: the body's id is not the new
 * row's key. Read as the key, the project's own create test failed (its sample had no id: 400)
 * a second like of one post would be refused as a taken key (409), and its mass-assignment test
 * must not refuse the id the spec requires.
 */
const { spec, work } = scaffoldFixture('body-id-reference.yaml');

const CHECK = `${CHECK_SETUP}
describe('a create body whose id names another row', () => {
  it('takes the same id twice: two rows, each with a key of its own', async () => {
    const first = await app.request('POST', '/likes.json', { id: 7, kind: 2 }, admin.headers);
    const second = await app.request('POST', '/likes.json', { id: 7, kind: 2 }, admin.headers);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((first.body as { id: number }).id).not.toBe((second.body as { id: number }).id);
  });

  it('still requires it, as the spec does', async () => {
    const res = await app.request('POST', '/likes.json', { kind: 2 }, admin.headers);
    expect(res.status).toBe(400);
  });
});
`;

checkEachFramework(
  'a create body whose required id names another row in a generated %s project',
  'accepts one id in many creates; the project passes its own resource tests',
  { spec, work },
  {
    name: 'body-id-reference-check.test.ts',
    source: CHECK,
    tests: ['test/generated/like.test.ts', 'test/generated/access.test.ts'],
    allCrud: true,
  },
);
