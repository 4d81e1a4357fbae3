import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { omittedWhenNull } from '../../src/scaffold/null-omission.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * langfuse's `DatasetItem.input` is `{ description }` in the answers (required) and `{ nullable: true }`
 * in the create body (optional): a schema that constrains nothing admits null. It was read as
 * non-nullable, "required in the answers but not on create", and the answer left it out when the
 * create did not give it: three violations per answer (input, expectedOutput, metadata).
 */
describe('modelFromOpenApi: a property schema that admits any value', () => {
  const { model, warnings } = modelFromOpenApi('any-value.yaml', fixtures);
  const item = model.resources.find((r) => r.name === 'Item')!;

  it('is nullable, so an answer writes it as null rather than leaving it out', () => {
    expect(item.fields.find((f) => f.name === 'input')).toMatchObject({ nullable: true, required: true });
    expect(omittedWhenNull(item)).not.toContain('input');
  });

  it('is not reported as a value the server must make up', () => {
    expect(warnings.filter((w) => w.message.includes('Item.input is required in the answers'))).toEqual([]);
  });

  it('leaves typed properties as they were', () => {
    expect(item.fields.find((f) => f.name === 'name')).toMatchObject({ nullable: false });
  });
});
