import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { listQuerySchema } from '../../src/scaffold/json-schemas.js';
import { crudParameters } from '../../src/scaffold/parameter-schemas.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('satisfyCredentialParameters', () => {
  it('serves a declared parameter that is an apiKey by the credential, not by its schema, and reports it', () => {
    const { model, warnings } = modelFromOpenApi('auth-keys.yaml', fixtures);
    const notes = model.resources.find((r) => r.name === 'Note')!;
    // GET /notes and PUT /notes/{id} declare api_key as required: no schema asks for it any more.
    expect(notes.served?.listQuery).toBeUndefined();
    expect(JSON.stringify(listQuerySchema(notes))).not.toContain('api_key');
    expect(crudParameters(notes, 'update').query).toEqual({
      type: 'object',
      properties: { reason: { type: 'string', minLength: 3 } },
      required: ['reason'],
    });
    expect(warnings.filter((w) => w.code === 'parameter-is-credential')).toEqual([
      {
        at: expect.stringMatching(/auth-keys\.yaml#\/components\/securitySchemes\/queryKey$/),
        code: 'parameter-is-credential',
        message: expect.stringContaining(
          'the query parameter "api_key" of GET /notes, PUT /notes/:id is the access token',
        ),
        hint: expect.any(String),
      },
    ]);
  });
});
