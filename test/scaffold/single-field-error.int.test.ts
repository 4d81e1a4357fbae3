import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';
import { expectProjectLints } from '../support/project-tool.js';

/**
 * An error schema of one string field (single-field-error.yaml: `{ reason }`, required, closed)
 * has room for the code alone. In a generated project of each framework a 500 answers
 * `{ reason: 'INTERNAL' }` and nothing else, and the project's own hardening test of unexpected
 * errors passes: it looked for the message in every spec error body, and this one cannot carry it
 * (it now looks where the schema has room for a message). The project type-checks and lints.
 */
const { spec, work } = scaffoldFixture('single-field-error.yaml');

const CHECK = `${CHECK_SETUP}
describe('an error body of one field', () => {
  it('answers the code in it, and nothing the schema does not declare', async () => {
    const missing = await app.request('GET', '/notes/999999', undefined, admin.headers);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ reason: 'NOT_FOUND' });
    const invalid = await app.request('POST', '/notes', {}, admin.headers);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ reason: 'VALIDATION_FAILED' });
  });
});
`;

checkEachFramework(
  'an error schema of one string field in a generated %s project',
  'answers the code in it; the project’s own hardening and resource tests pass',
  { spec, work },
  {
    name: 'single-field-error-check.test.ts',
    source: CHECK,
    tests: ['test/generated/note.test.ts', 'test/generated/hardening.test.ts'],
  },
  {
    timeout: 600_000,
    // The test helper that checks a message only where the schema has room for one type-checks and lints.
    afterwards: (project) => expectProjectLints(project.dir, project.modules),
  },
);
