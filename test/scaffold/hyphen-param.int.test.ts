import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * Path parameters whose names are not identifiers (`{widget-id}`, `{part.no}`) are served under
 * the spec's names, in both frameworks: the routers read `:widget-id` as `widget` then `-id`, so
 * the route names them by an alias the generated app maps back. A project is generated from
 * `fixtures/hyphen-param.yaml`, and a test written into it reads, replaces and deletes a row by
 * its hyphenated key, sees a handler's 501 and a bad parameter refused under the spec's name.
 */
const { spec, work } = scaffoldFixture('hyphen-param.yaml');

const CHECK = `${CHECK_SETUP}
describe('path parameters named by the spec with - and .', () => {
  it('GET, PUT and DELETE find the row by {widget-id}', async () => {
    const made = await app.request('POST', '/widgets', { name: 'a' }, admin.headers);
    expect(made.status).toBe(201);
    const url = '/widgets/' + made.body.id;
    const read = await app.request('GET', url, undefined, admin.headers);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: made.body.id, name: 'a' });
    const put = await app.request('PUT', url, { name: 'b' }, admin.headers);
    expect(put.status).toBe(200);
    expect(put.body.name).toBe('b');
    expect((await app.request('GET', url, undefined, admin.headers)).body.name).toBe('b');
    expect((await app.request('DELETE', url, undefined, admin.headers)).status).toBe(204);
    expect((await app.request('GET', url, undefined, admin.headers)).status).toBe(404);
  });

  it('a malformed key is refused under the spec’s name', async () => {
    const res = await app.request('GET', '/widgets/not-a-uuid', undefined, admin.headers);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ in: 'params', field: 'widget-id' }));
  });

  it('a handler under {widget-id} and {part.no} answers 501 until written, and validates {part.no}', async () => {
    const url = '/widgets/00000000-0000-4000-8000-000000000000/parts/';
    expect((await app.request('POST', url + '3', undefined, admin.headers)).status).toBe(501);
    const bad = await app.request('POST', url + 'three', undefined, admin.headers);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContainEqual(expect.objectContaining({ in: 'params', field: 'part.no' }));
  });
});
`;

checkEachFramework(
  'non-identifier path parameters in a generated %s project',
  'serve GET/PUT/DELETE by the key and a handler’s 501, and the project’s own tests pass',
  { spec, work },
  { name: 'hyphen-param-check.test.ts', source: CHECK, tests: ['test/generated/widget.test.ts'] },
);
