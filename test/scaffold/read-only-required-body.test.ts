import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * OpenAPI: a property that is `readOnly` and required is required in responses only. overseerr's
 * `POST /settings/plex` takes `PlexSettings`, which requires its readOnly `name` and `machineId`: the
 * handler's route refused every spec-valid body with 400 ("name is required").
 */
describe('a request body whose schema requires readOnly properties', () => {
  it('does not require them in the request, at any depth or through a $ref, and still takes the rest', () => {
    const { model } = modelFromOpenApi('read-only-required-body.yaml', fixtures);
    const body = model.operations.find((o) => o.operationId === 'updatePlex')!.body as {
      required: string[];
      properties: Record<string, { required?: string[] }>;
    };
    expect(body.required).toEqual(['ip', 'port', 'owner']);
    expect(body.properties.owner!.required).toEqual(['email']);
    expect(Object.keys(body.properties)).toEqual(['name', 'machineId', 'ip', 'port', 'owner']);
  });

  it('keeps them required in the answer', () => {
    const { model } = modelFromOpenApi('read-only-required-body.yaml', fixtures);
    const op = model.operations.find((o) => o.operationId === 'updatePlex')!;
    expect(JSON.stringify(op)).toContain('"required":["name","machineId","ip","port","owner"]');
  });
});
