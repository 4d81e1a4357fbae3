import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** What the report says of a resource found by a key other than the id, and the key's length. */
describe('modelFromOpenApi: a resource found by a string key', () => {
  it('bounds a key with no maxLength at 255 characters, and says so', () => {
    const { model, warnings } = modelFromOpenApi('long-key.yaml', fixtures);
    const handle = model.resources.find((r) => r.name === 'Handle')!;
    expect(handle.lookupKey).toBe('handle');
    expect(handle.fields.find((f) => f.name === 'handle')).toMatchObject({ unique: true, maxLength: 255 });
    // A property that is not the key keeps the spec's (no) bound.
    expect(handle.fields.find((f) => f.name === 'owner')!.maxLength).toBe(100);
    const note = warnings.map((w) => w.message).find((m) => m.includes('rows are found by Handle.handle'));
    expect(note).toMatch(/a create with a handle another row holds answers 409/);
    expect(note).toMatch(/It sets no maxLength: it takes at most 255 characters/);
  });

  it('keeps the spec’s own maxLength, and speaks of no 409 where nothing writes the key', () => {
    const { model, warnings } = modelFromOpenApi('read-only-resource.yaml', fixtures);
    const rate = model.resources.find((r) => r.name === 'Rate')!;
    expect(rate.fields.find((f) => f.name === 'code')!.maxLength).toBe(8);
    const note = warnings.map((w) => w.message).find((m) => m.includes('rows are found by Rate.code'));
    expect(note).toBeDefined();
    expect(note).not.toMatch(/409|maxLength/);
  });
});
