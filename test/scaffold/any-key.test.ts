import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { resourceView } from '../../src/scaffold/project-view.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('a uuid id behind a path key the spec declares as any text (any-key.yaml)', () => {
  const { model } = modelFromOpenApi('any-key.yaml', fixtures);
  const view = (plural: string) => {
    const r = model.resources.find((x) => x.plural === plural)!;
    return { r, v: resourceView(r, model.resources) };
  };

  it('takes any text as the key, so a name is a 404, not a 400 the spec does not allow', () => {
    const { r, v } = view('events');
    expect(r.idKind).toBe('uuid');
    expect(r.served!.keyAnyString).toBe(true);
    expect(v.schemas.params).toMatchObject({ properties: { identifier: { type: 'string', minLength: 1 } } });
    expect(v.anyKey).toBe(true);
  });

  it('keeps the uuid check where the spec declares the key a uuid', () => {
    const { r, v } = view('tickets');
    expect(r.served!.keyAnyString).toBeUndefined();
    expect(v.schemas.params).toMatchObject({ properties: { ticketId: { type: 'string', format: 'uuid' } } });
    expect(v.anyKey).toBe(false);
  });
});
