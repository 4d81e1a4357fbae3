import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { columnDefinition } from '../../src/scaffold/migration-sql.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * A JSON object or list the answers require and the create cannot give (spree's `metadata`,
 * RealWorld's `tagList`) was a NULL left out of every answer, which the spec's `required` refused.
 * The database now sets `{}` or `[]` where the schema accepts one, and a sample of the schema where
 * it needs filling (`reviewer` with its required `username`, `scores` with `minItems: 1`).
 */
describe('modelFromOpenApi: JSON the answers require and the create does not take', () => {
  const { model, warnings } = modelFromOpenApi('empty-json.yaml', fixtures);
  const article = model.resources.find((r) => r.name === 'Article')!;
  const field = (name: string) => article.fields.find((f) => f.name === name)!;

  it('gets an empty object or list from the database, in a nullable column', () => {
    expect(field('metadata').serverDefault).toBe('emptyObject');
    expect(field('tagList').serverDefault).toBe('emptyArray');
    expect(columnDefinition(field('metadata'), model.resources)).toBe(`metadata jsonb default '{}'::jsonb`);
    expect(columnDefinition(field('tagList'), model.resources)).toMatch(/ jsonb default '\[\]'::jsonb$/);
  });

  it('gives what an empty value would not satisfy a sample of its schema, and says which is which', () => {
    expect(field('reviewer').serverDefault).toBeUndefined();
    expect(field('scores').serverDefault).toBeUndefined();
    expect(JSON.parse(field('reviewer').jsonDefault!)).toEqual({ username: expect.any(String) });
    expect(JSON.parse(field('scores').jsonDefault!)).toEqual([expect.any(Number)]);
    const messages = warnings.map((w) => w.message);
    expect(messages).toContainEqual(expect.stringMatching(/^Article\.metadata .* the database sets \{\}/));
    expect(messages).toContainEqual(
      expect.stringMatching(/^Article\.reviewer .* the database sets \{"username":.*a sample of its schema/),
    );
  });
});
