import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * An id the spec types `number` (overseerr's `Issue.id`) is the table's integer identity: a row
 * made by POST is read and deleted through its number path key, and the answers carry the id.
 */
const { spec, work } = scaffoldFixture('number-id.yaml');

const CHECK = `${CHECK_SETUP}
describe('an id of type number', () => {
  it('is made by the server, read and deleted by its path key', async () => {
    const created = await app.request('POST', '/issue', { message: 'broken' }, admin.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(typeof created.body.id).toBe('number');
    const read = await app.request('GET', \`/issue/\${created.body.id}\`, undefined, admin.headers);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, message: 'broken' });
    const gone = await app.request('DELETE', \`/issue/\${created.body.id}\`, undefined, admin.headers);
    expect(gone.status).toBe(204);
    expect((await app.request('GET', \`/issue/\${created.body.id}\`, undefined, admin.headers)).status).toBe(404);
  });
});
`;

checkEachFramework(
  'an id of type number in a generated %s project',
  'is the integer identity',
  { spec, work },
  { name: 'number-id-check.test.ts', source: CHECK, tests: [] },
);
