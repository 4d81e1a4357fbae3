import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clientKey } from '../../src/scaffold/client-key.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { createSchema } from '../../src/scaffold/json-schemas.js';
import { resourceView } from '../../src/scaffold/project-view.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('a create body whose required id names another row (body-id-reference.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('body-id-reference.yaml', fixtures);
  const r = model.resources.find((x) => x.plural === 'likes')!;

  it('is not the new row key: the server sets that, so two likes of one post are two rows', () => {
    expect(clientKey(r)).toBe(false);
    expect(r.served!.bodies!.create!.key).toMatchObject({ required: true, reference: true });
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/Like\.id is required in the create body/);
  });

  it('is still required and validated as the spec declares it', () => {
    expect(createSchema(r)).toMatchObject({
      required: expect.arrayContaining(['id', 'kind']),
      properties: { id: { type: 'integer' } },
    });
  });

  it('is in the generated tests sample, so their create is spec-valid', () => {
    const sample = resourceView(r, model.resources).test.sample;
    expect(sample.find((s) => s.name === 'id')?.expr).toBeDefined();
  });
});
