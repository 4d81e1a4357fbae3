import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { bodyKind } from '../../templates/common/src/http/body-media.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * formbricks hub declares its settings PATCH in `application/merge-patch+json` only. A body in JSON
 * types only was read as "JSON only", and both frameworks took `application/json` alone: 415.
 */
describe('request bodies in JSON types with a +json suffix', () => {
  it('are served in the types the operation declares, CRUD or not', () => {
    const { model } = modelFromOpenApi('suffix-json.yaml', fixtures);
    const setting = model.resources.find((r) => r.name === 'Setting')!;
    expect(setting.served?.bodyMedia).toEqual({ patch: { types: ['application/merge-patch+json'] } });
    const imports = model.operations.find((o) => o.operationId === 'importThings')!;
    expect(imports.bodyMediaTypes).toEqual({ types: ['application/vnd.api+json'] });
  });

  it('are read as JSON when declared; application/json is taken beside them, another JSON type is not', () => {
    const declared = ['application/merge-patch+json'];
    expect(bodyKind('application/merge-patch+json; charset=utf-8', declared)).toBe('json');
    expect(bodyKind('application/json', declared)).toBe('json');
    expect(bodyKind('application/vnd.api+json', declared)).toBeUndefined();
    expect(bodyKind('application/json', ['application/xml'])).toBeUndefined();
  });
});
