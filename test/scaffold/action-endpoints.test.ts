import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * A POST alone on its path (no GET there, no item path) is an action, not a
 * collection, when what it answers shares no property with what it is sent,
 * or when it takes no body: a typed handler of its own (501 until written),
 * with a report line saying why. A POST that answers the resource it is sent
 * stays CRUD.
 */
describe('modelFromOpenApi: action endpoints', () => {
  const { model, warnings } = modelFromOpenApi('action-endpoints.yaml', fixtures);

  it('routes POST /multi_search and POST /flush to handlers, and keeps POST /messages as a resource', () => {
    expect(model.resources.map((r) => r.name)).toEqual(['Message']);
    expect(model.operations.map((op) => `${op.method} ${op.specPath}`).sort()).toEqual([
      'post /flush',
      'post /multi_search',
    ]);
  });

  it('says why in the report', () => {
    const why = warnings.filter((w) => w.code === 'operation-not-crud').map((w) => w.message);
    expect(why).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^POST \/multi_search is a handler of its own .*shares no property with the body/,
        ),
        expect.stringMatching(/^POST \/flush is a handler of its own .*takes no body/),
      ]),
    );
  });
});
