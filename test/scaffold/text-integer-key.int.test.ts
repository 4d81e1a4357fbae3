import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * An integer id behind a path key the spec declares as any text (Discourse's `/posts/{id}.json`,
 * `id: { type: string }`, while a post's id is an integer): any text is a valid request, so a key
 * no integer can be names no row (404), never a 400 the spec does not allow nor a 500 from
 * PostgreSQL; a key that is an integer finds its row, through the `Location` the create answers.
 */
const { spec, work } = scaffoldFixture('text-integer-key.yaml');

const CHECK = `${CHECK_SETUP}
describe('an integer id behind a text path key', () => {
  it('finds a row by its number and answers 404 to any other text', async () => {
    const made = await app.request('POST', '/notes.json', { text: 'a' }, admin.headers);
    expect(made.status).toBe(201);
    const id = (made.body as { id: number }).id;
    expect(made.headers.location).toBe(\`/notes/\${id}.json\`);
    const read = await app.request('GET', made.headers.location as string, undefined, admin.headers);
    expect(read).toMatchObject({ status: 200, body: { id, text: 'a' } });
    for (const key of ['abc', '1.5', '-', '99999999999999999999', '0x10']) {
      for (const [method, body] of [['GET'], ['PUT', { text: 'b' }], ['DELETE']] as const) {
        const res = await app.request(method, \`/notes/\${encodeURIComponent(key)}.json\`, body, admin.headers);
        expect([key, method, res.status]).toEqual([key, method, 404]);
      }
    }
    const put = await app.request('PUT', \`/notes/\${id}.json\`, { text: 'b' }, admin.headers);
    expect(put).toMatchObject({ status: 200, body: { id, text: 'b' } });
    const gone = await app.request('DELETE', \`/notes/\${id}.json\`, undefined, admin.headers);
    expect(gone.status).toBe(204);
  });
});
`;

checkEachFramework(
  'an integer id behind a text path key in a generated %s project',
  'answers 404 to a key no integer can be; the project passes its own hardening and resource tests',
  { spec, work },
  {
    name: 'text-integer-key-check.test.ts',
    source: CHECK,
    tests: ['test/generated/hardening.test.ts', 'test/generated/note.test.ts'],
    allCrud: true,
  },
);
