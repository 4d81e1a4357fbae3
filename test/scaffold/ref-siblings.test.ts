import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { createSchema } from '../../src/scaffold/json-schemas.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * OpenAPI 3.1 applies the keywords beside a `$ref` with it: lago's TaxCreateInput writes
 * `required` next to a `$ref` to the base schema, and those properties were optional on create.
 */
describe('modelFromOpenApi: required beside a $ref (3.1)', () => {
  it('requires the listed properties on create, and says it read the list', () => {
    const { model, warnings } = modelFromOpenApi('ref-sibling-required.yaml', fixtures);
    const tax = model.resources.find((r) => r.name === 'Tax')!;
    expect(createSchema(tax).required).toEqual(expect.arrayContaining(['name', 'code']));
    expect(createSchema(tax).required).not.toContain('rate');
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'ref-sibling-required',
        at: 'ref-sibling-required.yaml#/components/schemas/TaxCreateInput',
      }),
    );
  });

  it('serves the document as written: the $ref and its required list stay where the spec put them', () => {
    const { document } = modelFromOpenApi('ref-sibling-required.yaml', fixtures);
    const input = (document.components as { schemas: Record<string, unknown> }).schemas.TaxCreateInput;
    expect(input).toEqual({ $ref: '#/components/schemas/TaxBase', required: ['name', 'code'] });
  });
});
