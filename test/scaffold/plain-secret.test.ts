import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { listQuerySchema } from '../../src/scaffold/json-schemas.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * Penetration test: petstore3's User declares `password` as a plain string. tenon stores and answers it
 * as the spec says, but it also made it a list filter (`?password=hunter2` answers the rows whose
 * password it is) and a sort key (`?sort=password` orders every row by it, so a caller who controls one
 * row finds the others' passwords by bisection). A property named like a secret is neither unless the
 * spec opts in with x-tenon-filterable / x-tenon-sortable, and the report says it is kept as written.
 */
describe('modelFromOpenApi: a password the spec declares as a plain string', () => {
  const { model, warnings } = modelFromOpenApi('plain-secret.yaml', fixtures);
  const account = model.resources.find((r) => r.name === 'Account')!;
  const properties = listQuerySchema(account).properties as Record<string, { enum?: string[] }>;

  it('is no list filter and no sort key', () => {
    expect(Object.keys(properties)).not.toContain('password');
    expect(properties.sort!.enum).not.toContain('password');
    expect(properties.sort!.enum).not.toContain('-password');
    expect(properties.sort!.enum).not.toContain('clientSecret');
    expect(properties.sort!.enum).toContain('username');
  });

  it('stays one where the spec opts in', () => {
    expect(Object.keys(properties)).toContain('clientSecret');
  });

  it('is still stored and answered as the spec declares it, and the report says so', () => {
    const password = account.fields.find((f) => f.name === 'password')!;
    expect(password.secret).toBeUndefined();
    expect(password.writeOnly).toBeUndefined();
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /^Account\.password is named like a secret but declared a plain string: stored and answered as written/,
      ),
    );
  });
});
