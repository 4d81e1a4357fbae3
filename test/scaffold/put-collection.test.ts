import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('a PUT on a resource’s collection path (Vikunja’s create)', () => {
  const { model, warnings } = modelFromOpenApi('put-collection.yaml', fixtures);

  it('is a handler of its own, reported with its pointer and why: no operation makes rows as CRUD', () => {
    expect(model.resources.map((r) => r.name)).toEqual(['Label']);
    expect(model.operations.find((o) => o.operationId === 'createLabel')).toMatchObject({
      method: 'put',
      route: '/labels',
      file: 'create-label',
    });
    const warning = warnings.find((w) => w.at === 'put-collection.yaml#/paths/~1labels/put');
    expect(warning).toMatchObject({
      code: 'operation-not-crud',
      hint: expect.stringContaining('src/operations/'),
    });
    expect(warning?.message).toMatch(/its create is POST \/labels, which the spec does not declare/);
  });
});
