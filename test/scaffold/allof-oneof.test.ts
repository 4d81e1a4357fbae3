import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * karakeep's POST /bookmarks body is an `allOf` holding a `oneOf` (a link or a text): no single
 * object describes it. It refused the whole spec (0 of 55 operations); now that operation alone
 * is a handler, validated with its own schema, and the report says why.
 */
describe('modelFromOpenApi: oneOf inside allOf in a request body', () => {
  it('makes that operation a handler instead of refusing the spec', () => {
    const { model, warnings } = modelFromOpenApi('allof-oneof.yaml', fixtures);
    expect(model.operations.map((o) => o.operationId)).toEqual(['createBookmark']);
    const note = warnings.find((w) => w.code === 'operation-not-crud');
    expect(note?.message).toMatch(/^POST \/bookmarks is a handler of its own .*oneOf\/anyOf inside allOf/);
  });
});
