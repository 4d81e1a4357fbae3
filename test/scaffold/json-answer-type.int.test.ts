import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * An answer the spec declares only in another JSON type (`application/vnd.api+json`,
 * `application/hal+json`) is sent in that type, by CRUD routes and operations of their own
 * alike (it was sent as `application/json`, a type the spec does not declare for it).
 */
const { spec, work } = scaffoldFixture('json-answer-type.yaml');

const HANDLER = `import type { GetStatsInput, GetStatsOutput, OperationContext } from '../generated/operations.js';

export async function getStats(input: GetStatsInput, context: OperationContext): Promise<GetStatsOutput> {
  void input;
  void context;
  return { notes: 2 };
}
`;

const CHECK = `${CHECK_SETUP}
describe('answers in the JSON type the spec declares', () => {
  it('are sent in that type, whatever JSON type the client accepts', async () => {
    const created = await app.request('POST', '/notes', { text: 'a' }, admin.headers);
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/vnd.api+json');
    expect(created.body).toMatchObject({ text: 'a' });
    const id = String(created.body.id);
    const read = await app.request('GET', \`/notes/\${id}\`, undefined, admin.headers);
    expect(read.headers['content-type']).toBe('application/hal+json');
    expect(read.body).toEqual({ id: created.body.id, text: 'a' });
    const list = await app.request('GET', '/notes', undefined, { ...admin.headers, accept: 'application/vnd.api+json' });
    expect(list.headers['content-type']).toBe('application/vnd.api+json');
    expect(list.body).toEqual([{ id: created.body.id, text: 'a' }]);
    const stats = await app.request('GET', '/stats', undefined, admin.headers);
    expect(stats.status).toBe(200);
    expect(stats.headers['content-type']).toBe('application/vnd.api+json');
    expect(stats.body).toEqual({ notes: 2 });
  });
});
`;

checkEachFramework(
  'answers in their own JSON type in a generated %s project',
  'are sent in the type the spec declares',
  { spec, work },
  {
    name: 'json-answer-type-check.test.ts',
    source: CHECK,
    tests: ['test/generated/note.test.ts', 'test/generated/hardening.test.ts', '--hookTimeout=240000'],
    files: { 'src/operations/get-stats.ts': HANDLER },
  },
);
