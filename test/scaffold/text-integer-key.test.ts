import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { resourceView } from '../../src/scaffold/project-view.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('an integer id behind a path key the spec declares as any text (text-integer-key.yaml)', () => {
  it('takes any text as the key: the routes read it, so a word is a 404, not a 400 the spec does not allow', () => {
    const { model } = modelFromOpenApi('text-integer-key.yaml', fixtures);
    const r = model.resources.find((x) => x.plural === 'notes')!;
    const v = resourceView(r, model.resources);
    expect(r.idKind).toBe('bigint');
    expect(r.served!.keyAnyString).toBe(true);
    expect(v.schemas.params).toMatchObject({ properties: { id: { type: 'string', minLength: 1 } } });
    expect(v.textKey).toBe(true);
    expect(v.anyKey).toBe(false);
  });
});
