import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { checkExpression } from '../../src/scaffold/migration-sql.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * JSON Schema applies `minLength` only to strings and `minimum` only to numbers. netbird's spec puts
 * `minLength` on an array (it meant `minItems`): the column check became `char_length(jsonb)`, which
 * PostgreSQL does not have, and the generated project's first migration failed.
 */
describe('modelFromOpenApi: a keyword of another type is no column check', () => {
  const { model } = modelFromOpenApi('type-scoped-keywords.yaml', fixtures);
  const group = model.resources.find((r) => r.name === 'Group')!;
  const field = (name: string) => group.fields.find((f) => f.name === name)!;

  it('ignores lengths on lists, objects, uuids and numbers, and bounds on objects', () => {
    for (const name of ['servers', 'settings', 'token']) expect(checkExpression(field(name))).toBeUndefined();
    expect(field('servers').minLength).toBeUndefined();
    expect(field('size').minLength).toBeUndefined();
  });

  it('keeps them where they apply', () => {
    expect(checkExpression(field('name'))).toBe('char_length(name) >= 2 and char_length(name) <= 40');
    expect(checkExpression(field('size'))).toBe('size >= 0 and size <= 9');
  });
});
