import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * Object and array query parameters are read by their OpenAPI 3 style, in
 * both frameworks: a project is generated from `fixtures/query-styles.yaml`
 * (GET /search with a required exploded object, a deepObject, a form object
 * not exploded, and arrays exploded, comma-, space- and pipe-delimited; GET
 * /notes with an exploded object of list parameters), its search handler is
 * written to echo the query it receives, and a test written into the project
 * sends each style and checks the values (types coerced per the schema) and
 * the 400s. The project's own generated tests run too.
 */
const { spec, work } = scaffoldFixture('query-styles.yaml');

const HANDLER = `import type { SearchInput, SearchOutput, OperationContext } from '../generated/operations.js';

export async function search(input: SearchInput, context: OperationContext): Promise<SearchOutput> {
  void context;
  return { ...input.query };
}
`;

const CHECK = `${CHECK_SETUP}
import type { TestResponse } from './test-app.js';
const get = (url: string) => app.request('GET', url, undefined, admin.headers);
function refused(res: TestResponse, field: string) {
  expect(res.status).toBe(400);
  expect(res.body.error.details).toContainEqual(expect.objectContaining({ in: 'query', field }));
}

describe('query parameter styles', () => {
  it('form, exploded: an object’s properties are top-level keys, types coerced, an array repeats its key', async () => {
    const res = await get('/search?q=shoes&per_page=5&exhaustive=true&fields=a&fields=b&tags=x&tags=y');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ params: { q: 'shoes', per_page: 5, exhaustive: true, fields: ['a', 'b'] }, tags: ['x', 'y'] });
    expect((await get('/search?q=shoes&tags=x')).body.tags).toEqual(['x']);
  });

  it('the exploded object is validated as its schema says', async () => {
    refused(await get('/search?per_page=5'), 'params.q');
    refused(await get('/search'), 'params');
    refused(await get('/search?q=a&per_page=900'), 'params.per_page');
    refused(await get('/search?q=a&per_page=many'), 'params.per_page');
    refused(await get('/search?q=a&q=b'), 'q');
  });

  it('deepObject, form without explode, and delimited arrays', async () => {
    const res = await get('/search?q=a&filter[min]=3&filter[label]=red&range=from,1,to,9&ids=1,2,3&words=big%20red&codes=4|5');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      params: { q: 'a' },
      filter: { min: 3, label: 'red' },
      range: { from: 1, to: 9 },
      ids: [1, 2, 3],
      words: ['big', 'red'],
      codes: [4, 5],
    });
    refused(await get('/search?q=a&filter[min]=low'), 'filter.min');
    refused(await get('/search?q=a&range=from,1,to'), 'range');
    refused(await get('/search?q=a&ids=1,x'), 'ids.1');
  });

  it('a list takes an exploded object of parameters, besides tenon’s own', async () => {
    expect((await app.request('POST', '/notes', { title: 'n' }, admin.headers)).status).toBe(201);
    const res = await get('/notes?exclude_fields=title&offset=0&limit=5');
    expect(res.status).toBe(200);
    refused(await get('/notes?offset=none'), 'listParameters.offset');
  });
});
`;

checkEachFramework(
  'query parameter styles in a generated %s project',
  'reads exploded, deepObject, form and delimited parameters as the spec declares them',
  { spec, work },
  {
    name: 'query-styles-check.test.ts',
    source: CHECK,
    tests: ['test/generated/note.test.ts'],
    files: { 'src/operations/search.ts': HANDLER },
  },
);
