import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * FastAPI's shape (slash-collection.yaml): a collection path with a trailing slash and items
 * without, beside the spec's own GET /health/alive and GET /metrics. In a generated project of
 * each framework the item routes answer (the generated tests called `/notes//<id>`: 404), an
 * anonymous GET /health/alive is 401 as its policy says (it was opened by tenon's /health/ probe
 * prefix: 501), and the project's own tests pass.
 */
const { spec, work } = scaffoldFixture('slash-collection.yaml');

const CHECK = `${CHECK_SETUP}
describe('a slashed collection and the spec´s own probes', () => {
  it('reads an item under the item route, and keeps /health/alive behind its policy', async () => {
    const created = await app.request('POST', '/notes/', { title: 'a' }, admin.headers);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(\`/notes/\${created.body.id}\`);
    expect((await app.request('GET', \`/notes/\${created.body.id}\`, undefined, admin.headers)).status).toBe(200);
    expect((await app.request('GET', '/health/alive')).status).toBe(401);
    expect((await app.request('GET', '/health/live')).status).toBe(200);
  });
});
`;

checkEachFramework(
  'a slashed collection in a generated %s project',
  'serves items under the item route and the spec´s probes by their policy; the project’s own tests pass',
  { spec, work },
  {
    name: 'slash-collection-check.test.ts',
    source: CHECK,
    tests: [
      'test/generated/note.test.ts',
      'test/generated/access.test.ts',
      'test/generated/hardening.test.ts',
      'test/generated/metrics.test.ts',
    ],
  },
  { timeout: 600_000 },
);
