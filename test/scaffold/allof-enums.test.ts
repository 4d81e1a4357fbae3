import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { checkExpression } from '../../src/scaffold/migration-sql.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * netbird's `kind: allOf: [$ref Kind (host|subnet|domain), {enum: [subnet, domain]}]`: the second
 * part's enum was dropped, so `host` was accepted and stored though the spec allows only
 * `subnet` and `domain`.
 */
describe('modelFromOpenApi: allOf of two enums', () => {
  const { model } = modelFromOpenApi('allof-enums.yaml', fixtures);
  const kind = model.resources.find((r) => r.name === 'Rule')!.fields.find((f) => f.name === 'kind')!;

  it('is the values both parts allow, in validation and in the column check', () => {
    expect(kind.enumValues).toEqual(['subnet', 'domain']);
    expect(checkExpression(kind)).toBe("kind in ('subnet', 'domain')");
  });
});
