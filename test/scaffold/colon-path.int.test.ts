import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * Paths with a `:` (Google's custom methods: `/things:count`, `/things/{name}:undelete`; memos has
 * twelve) are served: registered with the colon escaped (Fastify `::`, Express `\:`), the parameter
 * before it captured up to the colon.
 */
const { spec, work } = scaffoldFixture('colon-path.yaml');

const HANDLER = `import type { UndeleteThingInput, UndeleteThingOutput, OperationContext } from '../generated/operations.js';

export async function undeleteThing(input: UndeleteThingInput, context: OperationContext): Promise<UndeleteThingOutput> {
  void context;
  return { name: input.params.name };
}
`;

const CHECK = `${CHECK_SETUP}
describe('a spec with custom methods (a ":" in the path)', () => {
  it('serves them, the parameter before the colon captured whole', async () => {
    const undeleted = await app.request('POST', '/things/abc-1:undelete', undefined, admin.headers);
    expect(undeleted.status).toBe(200);
    expect(undeleted.body).toEqual({ name: 'abc-1' });
    // Not written yet: the handler's 501, not a 404.
    const count = await app.request('GET', '/things:count', undefined, admin.headers);
    expect(count.status).toBe(501);
    // The colon is literal: another suffix is not the custom method but GET /things/{name}'s path
    // (the name \`abc:delete\`), which answers GET only.
    expect((await app.request('POST', '/things/abc:delete', undefined, admin.headers)).status).toBe(405);
    expect((await app.request('GET', '/things', undefined, admin.headers)).status).toBe(200);
    // The route table knows the path: another method is 405.
    expect((await app.request('DELETE', '/things:count', undefined, admin.headers)).status).toBe(405);
  });
});
`;

checkEachFramework(
  'custom methods (a ":" in the path) in a generated %s project',
  'are served at the spec´s paths',
  { spec, work },
  {
    name: 'colon-path-check.test.ts',
    source: CHECK,
    tests: ['test/generated/operations.test.ts', '--hookTimeout=240000'],
    files: { 'src/operations/undelete-thing.ts': HANDLER },
  },
);
