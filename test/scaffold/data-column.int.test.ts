import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * A row with a `data` column (formbricks' `Response`, its answers to a survey) is answered bare, as
 * the spec declares it, not wrapped in tenon's envelope; the list's `{ data: [...] }` holds the rows.
 */
const { spec, work } = scaffoldFixture('data-column.yaml');

const CHECK = `${CHECK_SETUP}
describe('a row with a data column', () => {
  it('is created, read, replaced and listed bare, its data column kept', async () => {
    const sent = { surveyId: 's1', data: { q1: 'yes' }, meta: { source: 'web' } };
    const created = await app.request('POST', '/responses', sent, admin.headers);
    expect(created.status).toBe(201);
    const row = created.body as Record<string, unknown>;
    expect(row).toEqual({ id: expect.any(String), ...sent });
    const read = await app.request('GET', \`/responses/\${String(row.id)}\`, undefined, admin.headers);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(row);
    const replaced = await app.request('PUT', \`/responses/\${String(row.id)}\`, { surveyId: 's2', data: { q1: 'no' } }, admin.headers);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: row.id, surveyId: 's2', data: { q1: 'no' } });
    const list = await app.request('GET', '/responses', undefined, admin.headers);
    expect(list.status).toBe(200);
    expect((list.body as { data: unknown[] }).data).toContainEqual(expect.objectContaining({ id: row.id, data: { q1: 'no' } }));
  });
});
`;

checkEachFramework(
  'a row with a data column in a generated %s project',
  'is answered bare, as the spec declares it',
  { spec, work },
  { name: 'data-column-check.test.ts', source: CHECK, tests: ['--hookTimeout=240000'] },
);
