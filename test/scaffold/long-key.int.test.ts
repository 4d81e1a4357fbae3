import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A string key the client names with no `maxLength` (`/handles/{handle}`): the key is a unique
 * column and part of every item URL and `Location`. Unbounded, a long key made a row no URL could
 * reach (Node refuses request heads over 16 KB), a `Location` header proxies and clients refuse
 * (the Express project failed its own hardening test) and, past ~2.7 kB, an index entry
 * PostgreSQL cannot store (a 500). The key is bounded as a text id is, at 255 characters.
 */
const { spec, work } = scaffoldFixture('long-key.yaml');

const CHECK = `${CHECK_SETUP}
describe('a key the client names with no length limit', () => {
  it('takes 255 characters, found again by the Location it answers; 256 is a 400', async () => {
    const key = 'é'.repeat(255);
    const made = await app.request('POST', '/handles', { handle: key, owner: 'a' }, admin.headers);
    expect(made.status).toBe(201);
    expect(made.headers.location).toBe('/handles/' + encodeURIComponent(key));
    const read = await app.request('GET', made.headers.location as string, undefined, admin.headers);
    expect(read).toMatchObject({ status: 200, body: { handle: key, owner: 'a' } });
    const long = await app.request('POST', '/handles', { handle: 'é'.repeat(256), owner: 'a' }, admin.headers);
    expect(long.status).toBe(400);
  });
});
`;

checkEachFramework(
  'a string key without maxLength in a generated %s project',
  'is bounded at 255 characters; the project passes its own hardening and resource tests',
  { spec, work },
  {
    name: 'long-key-check.test.ts',
    source: CHECK,
    tests: ['test/generated/hardening.test.ts', 'test/generated/handle.test.ts'],
    allCrud: true,
  },
);
