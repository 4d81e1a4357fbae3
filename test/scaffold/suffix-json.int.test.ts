import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * Request bodies the spec declares in another JSON type (formbricks hub's PATCH in
 * `application/merge-patch+json`, a JSON:API `application/vnd.api+json`) are read and validated as
 * JSON (they were 415); a JSON type the operation does not declare stays 415.
 */
const { spec, work } = scaffoldFixture('suffix-json.yaml');

const CHECK = `${CHECK_SETUP}
const as = (type: string) => ({ ...admin.headers, 'content-type': type });
describe('bodies in JSON types with a +json suffix', () => {
  it('are taken where the spec declares them, validated as JSON', async () => {
    const created = await app.request('POST', '/settings', { name: 'a' }, admin.headers);
    expect(created.status).toBe(201);
    const url = \`/settings/\${String(created.body.id)}\`;
    const patched = await app.request('PATCH', url, { language: 'de' }, as('application/merge-patch+json'));
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'a', language: 'de' });
    expect((await app.request('PATCH', url, { language: 'x'.repeat(11) }, as('application/merge-patch+json'))).status).toBe(400);
    // application/json is taken too (tenon's clients speak it); a JSON type not declared is 415.
    expect((await app.request('PATCH', url, { language: 'fr' }, admin.headers)).status).toBe(200);
    expect((await app.request('PATCH', url, { language: 'fr' }, as('application/vnd.api+json'))).status).toBe(415);
    expect((await app.request('POST', '/settings', { name: 'b' }, as('application/merge-patch+json'))).status).toBe(415);
    // An operation of its own: its handler is reached (501 until written), not 415.
    expect((await app.request('POST', '/imports', { data: [] }, as('application/vnd.api+json'))).status).toBe(501);
    expect((await app.request('POST', '/imports', {}, as('application/vnd.api+json'))).status).toBe(400);
  });
});
`;

checkEachFramework(
  'bodies in +json types in a generated %s project',
  'are read as JSON where the spec declares them',
  { spec, work },
  { name: 'suffix-json-check.test.ts', source: CHECK, tests: ['--hookTimeout=240000'] },
);
