import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { inputFields } from '../../src/scaffold/json-schemas.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * `readOnly` belongs to the schema that says it. netbird's `POST /api/users` requires
 * `is_service_user`, which the answer schema marks readOnly: tenon refused it as "not an accepted
 * field", and without it as missing, so no user could ever be created.
 */
describe('modelFromOpenApi: readOnly is the request body’s own word', () => {
  const { model } = modelFromOpenApi('readonly-in-answers.yaml', fixtures);
  const user = model.resources.find((r) => r.name === 'User')!;

  it('takes what the create body declares writable, readOnly in the answers or not', () => {
    expect(user.served?.bodies?.create?.properties).toContain('is_service_user');
    expect(user.served?.bodies?.create?.required).toContain('is_service_user');
    expect(inputFields(user, 'create').map((f) => f.name)).toContain('is_service_user');
  });

  it('refuses what the create body marks readOnly, writable in the answers or not', () => {
    expect(user.served?.bodies?.create?.properties).not.toContain('role');
    expect(inputFields(user, 'create').map((f) => f.name)).not.toContain('role');
  });
});
