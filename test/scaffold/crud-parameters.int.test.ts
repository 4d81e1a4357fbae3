import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * Header, cookie and query parameters of CRUD operations are served as the
 * spec declares them, in both frameworks: a project is generated from
 * `fixtures/crud-parameters.yaml` (a required enum header and an optional
 * `Idempotency-Key` on POST, an ignored `Content-Type` parameter, a boolean
 * query on POST, an enum cookie and a bounded integer header on GET by id,
 * a query with a minimum length on DELETE; a create body that carries
 * the key), and a test written into it
 * calls the app in process (its own `startTestApp`: PGlite, the admin's
 * token) and checks 400 against 2xx. The project's own generated tests run
 * too: they send the required header the spec asks for.
 */
const { spec, work } = scaffoldFixture('crud-parameters.yaml');

const CHECK = `${CHECK_SETUP}
import type { TestResponse } from './test-app.js';
const TAG = { 'x-request-tag': 'alpha' };
function call(method: string, url: string, headers: Record<string, string>, body?: unknown) {
  return app.request(method, url, body, { ...admin.headers, ...headers });
}
function refused(res: TestResponse, where: string, field: string) {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('VALIDATION_FAILED');
  expect(res.body.error.details).toContainEqual(expect.objectContaining({ in: where, field }));
}

describe('parameters of CRUD operations', () => {
  it('POST: a required enum header, an optional Idempotency-Key the spec declares, a boolean query', async () => {
    // The test app sends the required header by default (as a client must): an empty value replaces it.
    refused(await call('POST', '/notes', { 'x-request-tag': '' }, { title: 'a' }), 'header', 'x-request-tag');
    refused(await call('POST', '/notes', { 'x-request-tag': 'gamma' }, { title: 'a' }), 'header', 'x-request-tag');
    refused(await call('POST', '/notes?dryRun=maybe', TAG, { title: 'a' }), 'query', 'dryRun');
    refused(await call('POST', '/notes', { ...TAG, 'idempotency-key': 'k'.repeat(65) }, { title: 'a' }), 'header', 'idempotency-key');
    const made = await call('POST', '/notes?dryRun=true', TAG, { title: 'a' });
    expect(made.status).toBe(201);
    // Idempotency-Key declared by the spec is still served by tenon: the second call replays the first.
    const first = await call('POST', '/notes', { ...TAG, 'idempotency-key': 'key-1' }, { title: 'b' });
    const again = await call('POST', '/notes', { ...TAG, 'idempotency-key': 'key-1' }, { title: 'b' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('GET by id: an enum cookie and an integer header with a maximum, coerced from text', async () => {
    const { body } = await call('POST', '/notes', TAG, { title: 'c' });
    const url = '/notes/' + body.id;
    refused(await call('GET', url, { cookie: 'theme=blue' }), 'cookie', 'theme');
    refused(await call('GET', url, { 'x-max': '9' }), 'header', 'x-max');
    refused(await call('GET', url, { 'x-max': 'many' }), 'header', 'x-max');
    expect((await call('GET', url, { cookie: 'other=1; theme=dark', 'x-max': '3' })).status).toBe(200);
    expect((await call('GET', url, {})).status).toBe(200);
  });

  it('a create body with the key (not readOnly): the client’s value is the key, later server-set keys pass it, a duplicate is 409', async () => {
    const chosen = await call('POST', '/tags', {}, { id: 10, name: 'red' });
    expect(chosen.status).toBe(201);
    expect(chosen.body.id).toBe(10);
    const next = await call('POST', '/tags', {}, { name: 'blue' });
    expect(next.status).toBe(201);
    expect(next.body.id).toBeGreaterThan(10);
    expect((await call('POST', '/tags', {}, { id: 10, name: 'green' })).status).toBe(409);
    expect((await call('GET', '/tags/10', {})).body.name).toBe('red');
  });

  it('DELETE: a query parameter with a minimum length', async () => {
    const { body } = await call('POST', '/notes', TAG, { title: 'd' });
    refused(await call('DELETE', '/notes/' + body.id + '?reason=no', {}), 'query', 'reason');
    expect((await call('DELETE', '/notes/' + body.id + '?reason=done', {})).status).toBe(204);
  });
});
`;

checkEachFramework(
  'CRUD parameters in a generated %s project',
  'are validated as the spec declares them (400 with in: header/cookie/query), and the project’s own tests pass',
  { spec, work },
  {
    name: 'crud-parameters-check.test.ts',
    source: CHECK,
    tests: ['test/generated/note.test.ts', 'test/generated/tag.test.ts'],
  },
);
